import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AicError, isAicError, pause } from '@aic/core';
import { encryptKeystore } from '@aic/core/keystore';
import { keystoreDir, listKeystores, saveKeystore } from '@aic/node/identity';
import { type NodeProcess, spawnNodeProcess } from '@aic/node/spawn';
import { nodeApi } from './node-api.ts';
import { nodeReadyTimeoutMs } from './node-ready-timeout.ts';
import { type NodeStatus, type SupervisedNode, superviseNode } from './node-supervisor.ts';
import { startDemoActivity } from './nodes-activity.ts';
import { activityFromLog, type DevnetNodeEvent, type DevnetNodeInfo, type DevnetRole, roleOf } from './nodes-events.ts';

/** The raw key of development account `index` (Hardhat's mnemonic), e.g. to give devnet nodes the funded user
 * accounts: `privateKeys: [12, 13, 14, 15].map(devAccountKey)`. */
export { devAccountKey } from '@aic/ledger/devchain';
export {
  type DevnetNodeEvent,
  type DevnetNodeInfo,
  type DevnetRole,
  formatDevnetEvent,
  roleOf,
} from './nodes-events.ts';

/** Password of the devnet's throwaway keystores (never use devnet keys for anything of value). */
export const DEVNET_PASSWORD = 'aic-devnet';
// Throwaway keys: a low scrypt cost keeps `npm start` fast. Real keystores use the standard N = 2^18.
const DEVNET_SCRYPT_N = 4096;

export interface StartDevnetNodesOptions {
  /** How many nodes (≥ 1): requester, two GPU providers, data owner, then more providers. */
  count: number;
  /** Chain JSON-RPC URL and deployment file, handed to every node (--rpc-url, --deployment). */
  rpcUrl?: string;
  deploymentFile?: string;
  /** Each node keeps its keystore and state in `<dataDir>/node-<i>-<role>`; reused across runs. */
  dataDir: string;
  /** Aborting stops every node. */
  signal?: AbortSignal;
  onEvent?: (event: DevnetNodeEvent) => void;
  /** Raw 32-byte keys to use for the first nodes (e.g. pre-funded dev accounts); others get fresh keys. */
  privateKeys?: Uint8Array[];
  /** API port of node i is apiPortBase + i (default: any free port). */
  apiPortBase?: number;
  /** Providers publish offers and the requester announces a job once connected. Default true. */
  demoActivity?: boolean;
  /** Bound on the wait for all nodes to connect. Default 120 s. */
  connectTimeoutMs?: number;
  /** Run the job roles: GPU Vessel agents on providers, `--coordinator` and `--verifier` on nodes 4 and 5. */
  jobRoles?: boolean;
  /** Extra environment per node (fault injection in tests). */
  envOf?: (index: number) => Record<string, string>;
  /** Extra flags per node. */
  argsOf?: (index: number) => string[];
  /** Roles by index instead of `roleOf` (e.g. more requesters for a soak). */
  roles?: DevnetRole[];
}

export interface DevnetNodes {
  nodes: DevnetNodeInfo[];
  /** Stops every node (SIGTERM) and waits for them to exit. */
  stop(): Promise<void>;
  /** Kills node `index` at once (SIGKILL: no clean shutdown), e.g. a provider dying mid-job; resolves once it exited.
   * A deliberate kill: the devnet does not restart it (a node that dies on its own is restarted). */
  kill(index: number): Promise<void>;
  /** Stops node `index` cleanly (SIGTERM, waits for its exit), not restarted until `restart(index)`: e.g. a rolling
   * restart of the PoV validators with new flags (pov-chain.ts). */
  stopOne(index: number): Promise<void>;
  /** Starts node `index` again on its data directory (same key and ports) after it exited; resolves once it is up
   * and returns its info (also replacing `nodes[index]`). */
  restart(index: number): Promise<DevnetNodeInfo>;
  /** Each node's supervision state: running, restarting, failed or stopped, restarts, its last exit. */
  status(): NodeStatus[];
}

/** How many nodes start at once after the bootstrap node: 30 nodes importing tsx and libp2p at the same time on 2
 * cores missed a 60 s readiness bound. */
export const START_CONCURRENCY = 4;

/**
 * Spawns `count` AIC node processes on 127.0.0.1, each with its own keystore, bootstrapped to the first one over
 * libp2p (started in batches of START_CONCURRENCY); resolves once every node is connected. Every node is supervised
 * (node-supervisor.ts): one that dies on its own is reported with its last output lines and restarted with backoff.
 * Progress and each node's operator-level logs go to `onEvent`.
 *
 * @example
 * const devnet = await startDevnetNodes({ count: 4, rpcUrl, deploymentFile, dataDir: '.devnet', signal, onEvent: (e) => console.log(formatDevnetEvent(e)) });
 */
export async function startDevnetNodes(options: StartDevnetNodesOptions): Promise<DevnetNodes> {
  const emit = options.onEvent ?? (() => {});
  // Indexed by node; a node is supervised from the moment it is ready, so one that dies while the others are still
  // starting is reported (with its last lines) and restarted at once, not found dead by the connection wait.
  const supervised: SupervisedNode[] = [];
  const nodes: DevnetNodeInfo[] = [];
  let closing = false;
  // A node restarted by its supervisor keeps its ports; `nodes` follows its new pid.
  const emitTracked = (event: DevnetNodeEvent) => {
    if (event.type === 'restarted') nodes[event.node.index] = event.node;
    emit(event);
  };
  const stop = async () => {
    closing = true;
    await Promise.all(supervised.filter(Boolean).map((s) => s.stop()));
  };
  options.signal?.addEventListener('abort', () => void stop(), { once: true });
  const supervise = async (index: number, bootstrap: () => string[]): Promise<void> => {
    if (closing) return;
    const first = await startWithRetries(index, bootstrap(), options, emit);
    if (closing) {
      // Another node's start failed meanwhile and the devnet is being torn down: leave nothing running.
      await first.process.stop();
      return;
    }
    const ports = portsOf(first.info);
    supervised[index] = superviseNode({
      first,
      respawn: () => startOne(first.info.index, bootstrap(), options, emit, ports),
      emit: emitTracked,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  };
  try {
    await supervise(0, () => []);
    const bootstrapAddrs = () => supervised[0]?.info().multiaddrs ?? [];
    await mapBounded(options.count - 1, START_CONCURRENCY, (k) => supervise(k + 1, bootstrapAddrs));
    nodes.push(...supervised.map((s) => s.info()));
    await waitConnected(nodes, options.connectTimeoutMs ?? 120_000);
    emit({ type: 'connected', nodes });
    if (options.rpcUrl !== undefined && options.deploymentFile !== undefined) await reportBalances(nodes, emit);
    if (options.demoActivity !== false) await startDemoActivity(nodes);
    const kill = (index: number) => supervised[index]?.stop(true) ?? Promise.resolve();
    const restart = async (index: number) => {
      const info = await supervised[index]!.restart();
      nodes[index] = info;
      return info;
    };
    const stopOne = (index: number) => supervised[index]?.stop() ?? Promise.resolve();
    return { nodes, stop, kill, stopOne, restart, status: () => supervised.map((s) => s.status()) };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Bound on one node's start (import, unlock, listen, stake as a provider, API up). `--nodes 30` on 2 cores at load
 * ~40 took longer than spawnNodeProcess's 120 s default for some providers, and a retry starts from scratch; at load
 * 50–70 longer than 300 s, so the bound now grows with the load (node-ready-timeout.ts).
 */
export { NODE_READY_TIMEOUT_MS, nodeReadyTimeoutMs } from './node-ready-timeout.ts';

/** Attempts at starting one node before the devnet gives up (a loaded machine can miss one readiness bound). */
export const START_ATTEMPTS = 3;

/**
 * Starts node `index`; a start that fails (NODE_START_FAILED: it exited or was not ready in time) is reported
 * (`start-failed`: why, the node's last output lines) and tried again after a short backoff, up to START_ATTEMPTS
 * times.
 */
async function startWithRetries(
  index: number,
  bootstrap: string[],
  options: StartDevnetNodesOptions,
  emit: (event: DevnetNodeEvent) => void,
): Promise<Started> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOne(index, bootstrap, options, emit);
    } catch (error) {
      if (!isAicError(error) || error.code !== 'NODE_START_FAILED') throw error;
      const role = options.roles?.[index] ?? roleOf(index);
      const lastLines = Array.isArray(error.details.lastLines) ? error.details.lastLines.map(String) : [];
      const retry = attempt < START_ATTEMPTS;
      const retryInMs = 1_000 * 2 ** (attempt - 1);
      const reason = error.message.replace(/; (last output|it printed).*$/s, '');
      emit({
        type: 'start-failed',
        index,
        role,
        attempt,
        attempts: START_ATTEMPTS,
        reason,
        lastLines,
        ...(retry ? { retryInMs } : {}),
      });
      if (!retry || !(await pause(retryInMs, options.signal))) throw error;
    }
  }
}

type Started = { process: NodeProcess; info: DevnetNodeInfo };
/** Listen and API ports a node keeps across restarts (its multiaddr, and so the bootstrap address, stays valid). */
type Ports = { apiPort: number; p2pPort: number };

function portsOf(info: DevnetNodeInfo): Ports {
  const p2p = /\/tcp\/(\d+)/.exec(info.multiaddrs.find((m) => m.includes('/tcp/') && !m.includes('/ws')) ?? '');
  return { apiPort: Number(new URL(info.apiUrl).port), p2pPort: p2p ? Number(p2p[1]) : 0 };
}

/**
 * Runs `task(0 … count-1)` with at most `limit` at a time; results in index order. After a failure no further task
 * starts, and it rejects (with the first error) only once the running ones have ended: a devnet torn down on a
 * failed or aborted start has no node start still in flight.
 */
async function mapBounded<T>(count: number, limit: number, task: (k: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < count && !failed) {
      const k = next++;
      try {
        results[k] = await task(k);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(limit, count) }, worker));
  const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (rejected !== undefined) throw rejected.reason;
  return results;
}

async function startOne(
  index: number,
  bootstrap: string[],
  options: StartDevnetNodesOptions,
  emit: (event: DevnetNodeEvent) => void,
  ports?: Ports,
): Promise<Started> {
  const role = options.roles?.[index] ?? roleOf(index);
  const dataDir = join(options.dataDir, `node-${index}-${role}`);
  emit({ type: 'starting', index, role });
  await ensureKeystore(dataDir, options.privateKeys?.[index]);
  const child = await spawnNodeProcess({
    readyTimeoutMs: nodeReadyTimeoutMs(),
    // A devnet stopped while this node starts ends it too.
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    args: nodeArgs(index, role, dataDir, bootstrap, options, ports),
    env: { AIC_PASSWORD: DEVNET_PASSWORD, ...options.envOf?.(index) },
    onLog: (line) => {
      const event = activityFromLog(index, role, line);
      if (event !== undefined) emit(event);
    },
  });
  const info = { index, role, dataDir, ...child.ready, pid: child.child.pid ?? 0 };
  if (ports === undefined) emit({ type: 'ready', node: info });
  return { process: child, info };
}

function nodeArgs(
  index: number,
  role: DevnetRole,
  dataDir: string,
  bootstrap: string[],
  o: StartDevnetNodesOptions,
  ports?: Ports,
): string[] {
  const apiPort = ports?.apiPort ?? (o.apiPortBase === undefined ? 0 : o.apiPortBase + index);
  const listen = `/ip4/127.0.0.1/tcp/${ports?.p2pPort ?? 0}`;
  return [
    // Every default (liveness grace, intervals, worker caps…) from the devnet preset, like the chain's parameters.
    ...['--preset', 'devnet', '--data-dir', dataDir, '--role', role, '--listen', listen, '--api-port', String(apiPort)],
    ...bootstrap.flatMap((b) => ['--bootstrap', b]),
    ...(o.rpcUrl === undefined ? [] : ['--rpc-url', o.rpcUrl]),
    ...(o.deploymentFile === undefined ? [] : ['--deployment', o.deploymentFile]),
    ...(o.jobRoles === true ? JOB_ROLE_FLAGS[role] : []),
    ...(o.argsOf?.(index) ?? []),
  ];
}

const JOB_ROLE_FLAGS: Record<DevnetRole, string[]> = {
  // Two raters (funded accounts): each recomputes the other's score proposals and challenges a wrong one.
  requester: ['--rater'],
  'data-owner': [],
  'gpu-provider': ['--provider', '--log-level', 'info'],
  // The coordinator also verifies: it challenges canaries a lazy verifier passed.
  coordinator: ['--coordinator', '--verifier', '--rater'],
  verifier: ['--verifier'],
};

/** Reuses the node's keystore from an earlier run, or writes one (from the given key or a fresh one). */
async function ensureKeystore(dataDir: string, privateKey: Uint8Array | undefined): Promise<void> {
  const dir = keystoreDir(dataDir);
  if ((await listKeystores(dir)).length > 0) return;
  const keystore = await encryptKeystore(privateKey ?? randomBytes(32), DEVNET_PASSWORD, { scryptN: DEVNET_SCRYPT_N });
  await saveKeystore(dir, keystore);
}

/** Each node reads its own balance through its API (and so through the typed ledger client). */
async function reportBalances(nodes: DevnetNodeInfo[], emit: (event: DevnetNodeEvent) => void): Promise<void> {
  for (const node of nodes) {
    const { aic } = await nodeApi(node).balance();
    emit({ type: 'balance', index: node.index, role: node.role, aic });
  }
}

/** Polls each node's API until node 0 sees every other node and every other node sees at least one peer. */
async function waitConnected(nodes: DevnetNodeInfo[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const want = (n: DevnetNodeInfo) => (n.index === 0 ? nodes.length - 1 : Math.min(1, nodes.length - 1));
  for (const node of nodes) {
    const api = nodeApi(node);
    while ((await api.status()).connectedPeers < want(node)) {
      if (Date.now() > deadline) {
        throw new AicError('DEVNET_NOT_CONNECTED', `node ${node.index} did not connect within ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
