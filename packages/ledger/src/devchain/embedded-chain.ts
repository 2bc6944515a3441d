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
const configPath = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'hardhat.config.cjs');

interface HardhatRuntime {
  network: { provider: EIP1193Provider };
  run(task: string, args: Record<string, unknown>): Promise<unknown>;
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
  /** Mines a block every `intervalMs` besides on each transaction, so seeds from "the next block" always arrive. */
  setIntervalMining(intervalMs: number): Promise<void>;
  close(): Promise<void>;
}

let runtime: HardhatRuntime | undefined;

function loadRuntime(): HardhatRuntime {
  if (!runtime) {
    process.env.HARDHAT_CONFIG = configPath;
    process.env.HARDHAT_DISABLE_TELEMETRY_PROMPT = 'true';
    runtime = require('hardhat') as HardhatRuntime;
  }
  return runtime;
}

/** Starts (or returns) the in-process EVM. */
export async function startEmbeddedChain(): Promise<EmbeddedChain> {
  const hre = loadRuntime();
  const provider = hre.network.provider;
  const accounts = ((await provider.request({ method: 'eth_accounts' })) as Address[]).map((a) => getAddress(a));
  const chainId = Number(await provider.request({ method: 'eth_chainId' }));
  let server: JsonRpcServer | undefined;

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
