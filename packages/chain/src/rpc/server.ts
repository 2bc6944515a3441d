/**
 * The chain's Ethereum JSON-RPC endpoint: HTTP POST on 127.0.0.1 (fastify), single requests and batches, the
 * `eth_` methods viem, the node and browser wallets use. Every request is answered: bad input gets -32602/-32600,
 * unknown methods -32601, reverts code 3 with the revert data; the server keeps serving.
 *
 * @example
 * const rpc = await startChainRpc({ executor }, { port: 0 });
 * const client = createPublicClient({ transport: http(rpc.url) });
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { ChainExecutor } from '../exec/executor.ts';
import { CHAIN_EXEC_DEFAULTS } from '../exec/params.ts';
import type { Handler, RpcContext } from './context.ts';
import { chainMethods } from './methods-chain.ts';
import { logMethods } from './methods-logs.ts';
import { stateMethods } from './methods-state.ts';
import { INVALID_REQUEST, METHOD_NOT_FOUND, PARSE_ERROR, RpcError, toRpcError } from './rpc-error.ts';
import { rpcRequest } from './schemas.ts';

export interface ChainRpcInit {
  host?: string;
  port?: number;
  /** Requests per batch (a bigger batch is refused whole). */
  maxBatch?: number;
  /** Request body limit, bytes (contract deployments carry their init code). */
  bodyLimitBytes?: number;
  logsMaxBlockRange?: number;
}

export interface ChainRpcComponents {
  executor: ChainExecutor;
}

export interface ChainRpc {
  url: string;
  /** Answers one parsed JSON-RPC body (object or batch) without HTTP: for in-process transports and tests. */
  handle(body: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

const METHODS: Record<string, Handler> = { ...chainMethods, ...stateMethods, ...logMethods };

export function createRpcHandler(ctx: RpcContext, maxBatch = 1_000): (body: unknown) => Promise<unknown> {
  const one = async (request: unknown): Promise<unknown> => {
    const parsed = rpcRequest.safeParse(request);
    const id = (request as { id?: unknown } | null)?.id ?? null;
    if (!parsed.success) return { jsonrpc: '2.0', id, error: { code: INVALID_REQUEST, message: 'invalid request' } };
    const handler = METHODS[parsed.data.method];
    try {
      if (!handler)
        throw new RpcError(METHOD_NOT_FOUND, `the method ${parsed.data.method} does not exist/is not available`);
      const result = await handler(ctx, parsed.data.params ?? []);
      return { jsonrpc: '2.0', id: parsed.data.id ?? null, result };
    } catch (error) {
      return { jsonrpc: '2.0', id: parsed.data.id ?? null, error: toRpcError(error) };
    }
  };
  return async (body) => {
    if (!Array.isArray(body)) return one(body);
    if (body.length === 0 || body.length > maxBatch) {
      return {
        jsonrpc: '2.0',
        id: null,
        error: { code: INVALID_REQUEST, message: `a batch holds 1..${maxBatch} requests` },
      };
    }
    return Promise.all(body.map(one));
  };
}

/** Starts the endpoint; `port: 0` picks a free port. */
export async function startChainRpc(components: ChainRpcComponents, init: ChainRpcInit = {}): Promise<ChainRpc> {
  const ctx: RpcContext = {
    executor: components.executor,
    clientVersion: 'aic-pov/0.1.0',
    logsMaxBlockRange: init.logsMaxBlockRange ?? CHAIN_EXEC_DEFAULTS.logsMaxBlockRange,
    callGasCap: CHAIN_EXEC_DEFAULTS.callGasCap,
    suggestedTipWei: CHAIN_EXEC_DEFAULTS.suggestedTipWei,
  };
  const handle = createRpcHandler(ctx, init.maxBatch);
  const app: FastifyInstance = Fastify({ bodyLimit: init.bodyLimitBytes ?? 8 * 1024 * 1024 });
  // Parse JSON ourselves: a malformed body is a JSON-RPC parse error (-32700), not an HTTP 400.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/', async (request, reply) => {
    let body: unknown;
    try {
      body = JSON.parse(String(request.body));
    } catch {
      return reply.send({ jsonrpc: '2.0', id: null, error: { code: PARSE_ERROR, message: 'parse error' } });
    }
    const answer = await handle(body);
    return reply.header('content-type', 'application/json').send(JSON.stringify(answer, jsonBigint));
  });
  const host = init.host ?? '127.0.0.1';
  await app.listen({ host, port: init.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (init.port ?? 0);
  return {
    url: `http://${host}:${port}`,
    handle,
    async stop() {
      await app.close();
    },
  };
}

function jsonBigint(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `0x${value.toString(16)}` : value;
}
