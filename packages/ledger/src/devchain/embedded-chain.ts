/**
 * The embedded EVM: Hardhat 2's network (EDR, a real EVM) in this process, optionally served over JSON-RPC on
 * 127.0.0.1. Hardhat is used only as the EVM and RPC server; contracts are compiled by scripts/compile.ts.
 * One chain per process (Hardhat's runtime is a singleton).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AicError } from '@aic/core';
import { type Address, type EIP1193Provider, getAddress } from 'viem';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const configPath = join(here, '..', '..', 'hardhat.config.cjs');
// The same chain, but blocks may share a timestamp (a live devnet: block time then never runs ahead on its own).
const devnetConfigPath = join(here, 'hardhat.devnet.cjs');

interface HardhatRuntime {
  network: { provider: EIP1193Provider };
  run(task: string, args: Record<string, unknown>): Promise<unknown>;
}

/** One JSON-RPC 2.0 response, exactly as Hardhat's own server would send it (revert data in `error.data`). */
export interface JsonRpcResponse {
  jsonrpc: '2.0';
  id: number | string | null;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

interface HardhatJsonRpcHandler {
  _handleSingleRequest(request: unknown): Promise<JsonRpcResponse>;
}

interface JsonRpcServer {
  listen(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}

export interface EmbeddedChain {
  provider: EIP1193Provider;
  chainId: number;
  /** Funded development accounts (Hardhat's well-known test mnemonic), signed for by the chain itself. */
  accounts: Address[];
  /** Serves the chain over HTTP JSON-RPC on `host:port` (port 0 picks a free one); returns the URL. */
  serve(options?: { host?: string; port?: number }): Promise<string>;
  /**
   * Answers one JSON-RPC request object (not a batch) from the chain with Hardhat's server semantics (validation,
   * error codes, revert data), for a server of one's own in front of the chain, e.g. a method-filtering proxy.
   */
  handleJsonRpc(request: unknown): Promise<JsonRpcResponse>;
  /** Mines a block every `intervalMs` besides on each transaction, so seeds from "the next block" always arrive. */
  setIntervalMining(intervalMs: number): Promise<void>;
  close(): Promise<void>;
}

let runtime: HardhatRuntime | undefined;
let loadedConfig: string | undefined;

function loadRuntime(config: string): HardhatRuntime {
  if (runtime && loadedConfig !== config) {
    throw new AicError('LEDGER_CHAIN_CONFLICT', 'this process already runs an embedded chain with another config', {
      details: { loaded: loadedConfig, wanted: config },
    });
  }
  if (!runtime) {
    loadedConfig = config;
    process.env.HARDHAT_CONFIG = config;
    process.env.HARDHAT_DISABLE_TELEMETRY_PROMPT = 'true';
    runtime = require('hardhat') as HardhatRuntime;
  }
  return runtime;
}

export interface EmbeddedChainOptions {
  /**
   * Let blocks share a timestamp (EDR's allowBlocksWithSameTimestamp). By default every block is at least 1 s after
   * the one before, so a block per transaction runs the chain ahead of the wall clock: a live devnet turns this on.
   * Hardhat's runtime is one per process, so every chain of a process must agree on it.
   */
  blocksMayShareTimestamp?: boolean;
}

/** Starts (or returns) the in-process EVM. */
export async function startEmbeddedChain(options: EmbeddedChainOptions = {}): Promise<EmbeddedChain> {
  const hre = loadRuntime(options.blocksMayShareTimestamp === true ? devnetConfigPath : configPath);
  const provider = hre.network.provider;
  const accounts = ((await provider.request({ method: 'eth_accounts' })) as Address[]).map((a) => getAddress(a));
  const chainId = Number(await provider.request({ method: 'eth_chainId' }));
  let server: JsonRpcServer | undefined;
  let handler: HardhatJsonRpcHandler | undefined;

  return {
    provider,
    chainId,
    accounts,
    async serve({ host = '127.0.0.1', port = 0 } = {}) {
      if (server) throw new AicError('LEDGER_CHAIN_ALREADY_SERVED', 'the embedded chain is already being served');
      const { TASK_NODE_CREATE_SERVER } = require('hardhat/builtin-tasks/task-names') as Record<string, string>;
      server = (await hre.run(TASK_NODE_CREATE_SERVER ?? 'node:create-server', {
        hostname: host,
        port,
        provider,
      })) as JsonRpcServer;
      const bound = await server.listen();
      return `http://${host}:${bound.port}`;
    },
    handleJsonRpc(request) {
      if (!handler) {
        const { JsonRpcHandler } = require('hardhat/internal/hardhat-network/jsonrpc/handler') as {
          JsonRpcHandler: new (provider: EIP1193Provider) => HardhatJsonRpcHandler;
        };
        handler = new JsonRpcHandler(provider);
      }
      return handler._handleSingleRequest(request);
    },
    async setIntervalMining(intervalMs) {
      await provider.request({ method: 'evm_setIntervalMining' as never, params: [intervalMs] as never });
    },
    async close() {
      await server?.close();
      server = undefined;
      // Interval mining keeps a timer alive; stop it so the process can exit.
      await provider.request({ method: 'evm_setIntervalMining' as never, params: [0] as never });
    },
  };
}
