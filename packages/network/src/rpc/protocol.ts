import { z } from 'zod';
import { STREAM_LIMITS, WIRE_LIMITS } from '../limits.ts';
import type { MessageSpec } from '../wire/message-spec.ts';

/** A response on the wire: the handler's value, or a typed error (code + one-line message). */
export type RpcResult<Res> = { ok: true; value: Res } | { ok: false; code: string; message: string };

/**
 * A request/response protocol over a libp2p stream: one length-prefixed signed CBOR request, one response.
 * `Req`/`Res` are the typed values handlers and callers see.
 */
export interface ProtocolDefinition<Req, Res> {
  /** libp2p protocol id, e.g. '/aic/job-ticket/1.0.0'. */
  readonly id: string;
  readonly request: MessageSpec<Req>;
  readonly response: MessageSpec<RpcResult<Res>>;
  /** Whole exchange, caller side. */
  readonly timeoutMs: number;
}

export interface ProtocolInit<Req, Res> {
  id: string;
  request: z.ZodType<Req>;
  response: z.ZodType<Res>;
  /** Inverse of the request schema's transforms (default: the value itself). */
  requestToWire?: (value: Req) => unknown;
  responseToWire?: (value: Res) => unknown;
  maxRequestBytes?: number;
  maxResponseBytes?: number;
  timeoutMs?: number;
}

/**
 * Defines a request/response protocol: later code adds a schema pair here and a handler with `network.handle()`.
 * @example
 * const echo = defineProtocol({ id: '/aic/echo/1.0.0', request: z.object({ text: z.string() }), response: z.object({ text: z.string() }) });
 */
export function defineProtocol<Req, Res>(init: ProtocolInit<Req, Res>): ProtocolDefinition<Req, Res> {
  const toWireRequest = init.requestToWire ?? ((v: Req) => v);
  const toWireResponse = init.responseToWire ?? ((v: Res) => v);
  const responseSchema = z.union([
    z.strictObject({ ok: z.literal(true), value: init.response }),
    z.strictObject({ ok: z.literal(false), code: z.string().max(64), message: z.string().max(512) }),
  ]) as z.ZodType<RpcResult<Res>>;
  return {
    id: init.id,
    timeoutMs: init.timeoutMs ?? STREAM_LIMITS.requestTimeoutMs,
    request: {
      type: `${init.id}#request`,
      maxBytes: init.maxRequestBytes ?? WIRE_LIMITS.rpcMessageBytes,
      schema: init.request,
      toWire: toWireRequest,
    },
    response: {
      type: `${init.id}#response`,
      maxBytes: init.maxResponseBytes ?? WIRE_LIMITS.rpcMessageBytes,
      schema: responseSchema,
      toWire: (result) => (result.ok ? { ok: true, value: toWireResponse(result.value) } : result),
    },
  };
}

/** The request type of a protocol definition. */
export type RequestOf<P> = P extends ProtocolDefinition<infer Req, unknown> ? Req : never;
/** The response type of a protocol definition. */
export type ResponseOf<P> = P extends ProtocolDefinition<unknown, infer Res> ? Res : never;
