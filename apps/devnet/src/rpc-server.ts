/**
 * The devnet's one HTTP port for other processes: the chain's JSON-RPC behind a method guard (rpc-guard.ts), plus
 * small devnet routes (the faucet, the devnet's status). The devnet process itself keeps the chain's in-process
 * provider for its privileged calls (time, mining, dev accounts). A fault option fails a fraction of JSON-RPC
 * requests on purpose (fault tests only): half drop the connection, half answer HTTP 503.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AicError, seededUniforms } from '@aic/core';
import type { EmbeddedChain, JsonRpcResponse } from '@aic/ledger/devchain';
import { checkRpcMethod, RPC_INVALID_REQUEST, RPC_METHOD_REFUSED, RPC_PARSE_ERROR } from './rpc-guard.ts';

/** Largest request body (a contract deployment's raw transaction fits many times). */
export const MAX_BODY_BYTES = 8 * 2 ** 20;
/** Most requests in one JSON-RPC batch. */
export const MAX_BATCH = 500;

/** A devnet route: a JSON body in (undefined for GET), a status and a JSON body out. */
export type DevnetRoute = (body: unknown) => Promise<{ status: number; body: unknown }>;

export interface DevnetServerOptions {
  chain: Pick<EmbeddedChain, 'handleJsonRpc'>;
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Routes besides JSON-RPC (`POST /`), keyed `METHOD /path`, e.g. `POST /faucet`. */
  routes?: Record<string, DevnetRoute>;
  /** Methods outsiders may call besides the guard's (tests that must move the chain's clock). */
  extraMethods?: Set<string>;
  /** Fraction of JSON-RPC HTTP requests failed on purpose, in [0, 1) (fault tests only). */
  faultRate?: number;
  faultSeed?: bigint;
}

export interface DevnetServerStats {
  /** JSON-RPC HTTP requests received, single requests answered (batches count each), refused, failed on purpose. */
  httpRequests: number;
  calls: number;
  refused: number;
  faults: number;
}

export interface DevnetServer {
  url: string;
  stats(): DevnetServerStats;
  /** Changes the fraction of JSON-RPC requests failed on purpose (fault tests: after the nodes are up). */
  setFaultRate(rate: number): void;
  close(): Promise<void>;
}

/** Starts the devnet's HTTP server on `host:port` (127.0.0.1 by default). */
export async function startDevnetServer(options: DevnetServerOptions): Promise<DevnetServer> {
  const stats: DevnetServerStats = { httpRequests: 0, calls: 0, refused: 0, faults: 0 };
  let faultRate = options.faultRate ?? 0;
  const random = seededUniforms(options.faultSeed ?? 1n, 'devnet-rpc-faults');
  const answer = (request: unknown) => answerOne(request, options, stats);

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { code: 'DEVNET_INTERNAL', message: String(error), details: {} });
      else res.destroy();
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const route = options.routes?.[`${req.method} ${path}`];
    if (route !== undefined) {
      const body = req.method === 'GET' ? undefined : parseJson(await readBody(req));
      const out = body instanceof AicError ? { status: 400, body: body.toJSON() } : await route(body);
      send(res, out.status, out.body);
      return;
    }
    if (req.method !== 'POST' || path !== '/') {
      send(res, 404, { code: 'DEVNET_NOT_FOUND', message: `no ${req.method} ${path} on the devnet`, details: {} });
      return;
    }
    stats.httpRequests++;
    if (faultRate > 0 && random() < faultRate) {
      stats.faults++;
      if (random() < 0.5) {
        req.socket.destroy();
        return;
      }
      // A plain-text 503, as a proxy in front of a node would answer (a JSON-RPC error body would read as a revert).
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('service unavailable (injected fault)');
      return;
    }
    const text = await readBody(req);
    const parsed = parseJson(text);
    if (parsed instanceof AicError) {
      send(res, 200, rpcError(null, RPC_PARSE_ERROR, `parse error: ${parsed.message}`));
      return;
    }
    if (!Array.isArray(parsed)) {
      send(res, 200, await answer(parsed));
      return;
    }
    if (parsed.length === 0 || parsed.length > MAX_BATCH) {
      send(res, 200, rpcError(null, RPC_INVALID_REQUEST, `a batch holds 1 to ${MAX_BATCH} requests`));
      return;
    }
    send(res, 200, await Promise.all(parsed.map(answer)));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    stats: () => ({ ...stats }),
    setFaultRate: (rate) => {
      faultRate = Math.min(0.99, Math.max(0, rate));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answerOne(
  request: unknown,
  options: DevnetServerOptions,
  stats: DevnetServerStats,
): Promise<JsonRpcResponse> {
  stats.calls++;
  const id = idOf(request);
  const method = typeof request === 'object' && request !== null ? (request as { method?: unknown }).method : undefined;
  if (typeof method !== 'string') return rpcError(id, RPC_INVALID_REQUEST, 'invalid request: no method');
  if (options.extraMethods?.has(method)) return options.chain.handleJsonRpc(request);
  const verdict = checkRpcMethod(method);
  if (!verdict.allowed) {
    stats.refused++;
    return rpcError(id, RPC_METHOD_REFUSED, `aic devnet: ${verdict.message}`);
  }
  if ('answer' in verdict) return { jsonrpc: '2.0', id, result: verdict.answer };
  return options.chain.handleJsonRpc(request);
}

function idOf(request: unknown): number | string | null {
  const id = typeof request === 'object' && request !== null ? (request as { id?: unknown }).id : undefined;
  return typeof id === 'number' || typeof id === 'string' ? id : null;
}

function rpcError(id: number | string | null, code: number, message: string): JsonRpcResponse {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    return new AicError('DEVNET_REQUEST_MALFORMED', error instanceof Error ? error.message : String(error));
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      req.socket.destroy();
      throw new AicError('DEVNET_REQUEST_TOO_LARGE', `request body over ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
