import { AicError, isAicError } from '@aic/core';
import type { Connection, Libp2p, PeerId, Stream } from '@libp2p/interface';
import { lpStream } from '@libp2p/utils';
import type { Multiaddr } from '@multiformats/multiaddr';
import { NetworkError } from '../errors.ts';
import { addressFromPeerId } from '../identity.ts';
import { RATE_LIMITS, STREAM_LIMITS } from '../limits.ts';
import type { NetworkLogger } from '../logger.ts';
import { type Offence, offenceOfErrorCode } from '../scoring/offences.ts';
import { TokenBuckets } from '../scoring/token-bucket.ts';
import type { MessageSpec } from '../wire/message-spec.ts';
import type { WireCodec } from '../wire/wire-codec.ts';
import type { ProtocolDefinition, RpcResult } from './protocol.ts';

/** What a request handler learns about the caller besides the request. */
export interface RequestContext {
  /** The remote peer (authenticated by Noise). */
  peer: PeerId;
  /** Its Ethereum address (the signer of the request, checked equal to the PeerId's key). */
  sender: `0x${string}`;
  /** Aborted when the exchange times out or the network stops. */
  signal: AbortSignal;
}

/** A request handler. Throw an AicError to answer with its code and message; other errors answer 'INTERNAL'. */
export type RequestHandler<Req, Res> = (request: Req, context: RequestContext) => Promise<Res> | Res;

export interface RpcServiceComponents {
  libp2p: Libp2p;
  codec: WireCodec;
  reportOffence(peerId: string, offence: Offence, code: string): void;
  logger: NetworkLogger;
  /** Aborted on network stop. */
  signal: AbortSignal;
  maxInboundStreamsPerPeer?: number;
}

/**
 * Request/response over libp2p streams: each exchange is one length-prefixed signed CBOR request and one response
 * on a fresh stream, both bounded in size and time. Inbound streams are counted per peer across all protocols;
 * a peer above the bound has the extra streams reset and is penalised.
 */
export class RpcService {
  readonly #c: RpcServiceComponents;
  readonly #inbound = new Map<string, number>();
  readonly #maxPerPeer: number;
  readonly #rate = new TokenBuckets(RATE_LIMITS.requestsPerSecondPerPeer, RATE_LIMITS.requestBurstPerPeer);

  constructor(components: RpcServiceComponents) {
    this.#c = components;
    this.#maxPerPeer = components.maxInboundStreamsPerPeer ?? STREAM_LIMITS.maxInboundStreamsPerPeer;
  }

  /** Serves `protocol` with `handler` (replacing any previous handler). */
  async handle<Req, Res>(protocol: ProtocolDefinition<Req, Res>, handler: RequestHandler<Req, Res>): Promise<void> {
    await this.#c.libp2p.handle(
      protocol.id,
      (stream, connection) => this.#serve(protocol, handler, stream, connection),
      {
        maxInboundStreams: STREAM_LIMITS.libp2pMaxInboundStreamsPerProtocol,
        maxOutboundStreams: STREAM_LIMITS.libp2pMaxOutboundStreamsPerProtocol,
        force: true,
      },
    );
  }

  /** Stops serving `protocol`. */
  async unhandle(protocol: ProtocolDefinition<unknown, unknown> | string): Promise<void> {
    await this.#c.libp2p.unhandle(typeof protocol === 'string' ? protocol : protocol.id);
  }

  /**
   * Sends `request` to `peer` and resolves to its typed response. Rejects with NETWORK_REQUEST_TIMEOUT,
   * NETWORK_REMOTE_ERROR (details.code is the remote's code), or a wire error when the answer is invalid.
   */
  async request<Req, Res>(
    peer: PeerId | Multiaddr,
    protocol: ProtocolDefinition<Req, Res>,
    request: Req,
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<Res> {
    const signal = anySignal([
      this.#c.signal,
      AbortSignal.timeout(options.timeoutMs ?? protocol.timeoutMs),
      ...(options.signal ? [options.signal] : []),
    ]);
    try {
      const connection = await this.#c.libp2p.dial(peer, { signal });
      const stream = await connection.newStream(protocol.id, { signal });
      const result = await this.#exchange(protocol, request, stream, connection, signal);
      if (!result.ok) {
        throw new NetworkError('NETWORK_REMOTE_ERROR', result.message, {
          details: { code: result.code, protocol: protocol.id },
        });
      }
      return result.value;
    } catch (error) {
      if (isAicError(error)) throw error;
      if (signal.aborted) {
        throw new NetworkError('NETWORK_REQUEST_TIMEOUT', `${protocol.id} request timed out or was aborted`, {
          cause: error,
        });
      }
      throw new NetworkError('NETWORK_REQUEST_FAILED', `${protocol.id} request failed`, { cause: error });
    }
  }

  async #exchange<Req, Res>(
    protocol: ProtocolDefinition<Req, Res>,
    request: Req,
    stream: Stream,
    connection: Connection,
    signal: AbortSignal,
  ): Promise<RpcResult<Res>> {
    const lp = lpStream(stream, { maxDataLength: protocol.response.maxBytes });
    await lp.write(this.#c.codec.seal(protocol.request, request), { signal });
    const bytes = await lp.read({ signal }).catch((error: unknown) => {
      throw wireErrorOfReadFailure(error, protocol.response.maxBytes) ?? error;
    });
    await stream.close({ signal }).catch(() => stream.abort(new Error('close failed')));
    try {
      return this.#openFromPeer(protocol.response, bytes.subarray(), connection.remotePeer);
    } catch (error) {
      this.#penalize(connection.remotePeer, error);
      throw error;
    }
  }

  async #serve<Req, Res>(
    protocol: ProtocolDefinition<Req, Res>,
    handler: RequestHandler<Req, Res>,
    stream: Stream,
    connection: Connection,
  ): Promise<void> {
    const peer = connection.remotePeer;
    const key = peer.toString();
    const active = this.#inbound.get(key) ?? 0;
    if (active >= this.#maxPerPeer) {
      this.#c.reportOffence(key, 'stream-abuse', 'NETWORK_TOO_MANY_STREAMS');
      stream.abort(new NetworkError('NETWORK_TOO_MANY_STREAMS', 'too many concurrent streams'));
      return;
    }
    if (!this.#rate.take(key, Date.now())) {
      this.#c.reportOffence(key, 'rate-limited', 'NETWORK_RATE_LIMITED');
      stream.abort(new NetworkError('NETWORK_RATE_LIMITED', 'too many requests'));
      return;
    }
    this.#inbound.set(key, active + 1);
    const signal = anySignal([
      this.#c.signal,
      AbortSignal.timeout(STREAM_LIMITS.inboundReadTimeoutMs + protocol.timeoutMs),
    ]);
    try {
      await this.#answer(protocol, handler, stream, peer, signal);
    } catch (error) {
      this.#penalize(peer, error);
      this.#c.logger.debug({ protocol: protocol.id, peer: key, code: errorCode(error) }, 'inbound request failed');
      stream.abort(error instanceof Error ? error : new Error('request failed'));
    } finally {
      const left = (this.#inbound.get(key) ?? 1) - 1;
      if (left <= 0) this.#inbound.delete(key);
      else this.#inbound.set(key, left);
    }
  }

  async #answer<Req, Res>(
    protocol: ProtocolDefinition<Req, Res>,
    handler: RequestHandler<Req, Res>,
    stream: Stream,
    peer: PeerId,
    signal: AbortSignal,
  ): Promise<void> {
    const lp = lpStream(stream, { maxDataLength: protocol.request.maxBytes });
    const bytes = await lp.read({ signal }).catch((error: unknown) => {
      throw wireErrorOfReadFailure(error, protocol.request.maxBytes) ?? error;
    });
    const request = this.#openFromPeer(protocol.request, bytes.subarray(), peer);
    const result = await runHandler(handler, request, { peer, sender: addressFromPeerId(peer), signal });
    await lp.write(this.#c.codec.seal(protocol.response, result), { signal });
    await stream.close({ signal });
  }

  /** Opens a message and checks that its signer is the peer at the other end of the stream. */
  #openFromPeer<T>(spec: MessageSpec<T>, bytes: Uint8Array, peer: PeerId): T {
    const message = this.#c.codec.open(spec, bytes);
    if (message.sender !== addressFromPeerId(peer)) {
      throw new NetworkError('NETWORK_SENDER_MISMATCH', 'message signer is not the stream peer', {
        details: { sender: message.sender, peer: peer.toString() },
      });
    }
    return message.payload;
  }

  #penalize(peer: PeerId, error: unknown): void {
    const offence = offenceOfErrorCode(errorCode(error));
    if (offence !== undefined) this.#c.reportOffence(peer.toString(), offence, errorCode(error));
  }
}

async function runHandler<Req, Res>(
  handler: RequestHandler<Req, Res>,
  request: Req,
  context: RequestContext,
): Promise<RpcResult<Res>> {
  try {
    return { ok: true, value: await handler(request, context) };
  } catch (error) {
    if (error instanceof AicError)
      return { ok: false, code: error.code.slice(0, 64), message: error.message.slice(0, 512) };
    return { ok: false, code: 'INTERNAL', message: 'internal error' };
  }
}

/** Maps an lpStream length error to a wire error (the peer's fault); other read failures stay as they are. */
function wireErrorOfReadFailure(error: unknown, maxBytes: number): NetworkError | undefined {
  const name = error instanceof Error ? error.name : '';
  if (name === 'InvalidDataLengthError' || name === 'InvalidDataLengthLengthError') {
    return new NetworkError('NETWORK_MESSAGE_TOO_LARGE', `stream message exceeds ${maxBytes} bytes`, { cause: error });
  }
  if (name === 'InvalidMessageLengthError') {
    return new NetworkError('NETWORK_MESSAGE_MALFORMED', 'bad length prefix', { cause: error });
  }
  return undefined;
}

function errorCode(error: unknown): string {
  return isAicError(error) ? error.code : error instanceof Error ? error.name : 'UNKNOWN';
}

/** AbortSignal.any exists from Node 20.3; kept in one place. */
function anySignal(signals: AbortSignal[]): AbortSignal {
  return AbortSignal.any(signals);
}
