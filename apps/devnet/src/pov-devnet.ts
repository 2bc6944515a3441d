/**
 * `npm run devnet -- --chain pov`: the whole devnet on the PoV chain. The GPU Vessels are the chain's validators
 * (pov-chain.ts: genesis, validators, contracts signed locally, rolling restart as providers); then the requester,
 * data owner, coordinator and two verifiers start against a validator's JSON-RPC, and the demo job runs end to end
 * across them exactly as on the embedded chain (same contracts, same node code, viem unchanged).
 */
import { isAicError } from '@aic/core';
import { devnetPovChain } from '@aic/core/params';
import { describeDevnet } from './chain.ts';
import { howToJoin } from './join.ts';
import { runNetworkedJob } from './networked-job.ts';
import { type DevnetNodeEvent, type DevnetRole, devAccountKey, formatDevnetEvent, startDevnetNodes } from './nodes.ts';
import { runDemoInference } from './paid-inference.ts';
import { startPovDevnetChain } from './pov-chain.ts';
import { startPovDevnetServer } from './pov-server.ts';

/** Dev accounts of the job nodes besides the GPU Vessels (as the EDR devnet's JOB_NODE_KEYS) and their roles. */
const OTHER_KEYS = [12, 15, 7, 8, 9];
const OTHER_ROLES: DevnetRole[] = ['requester', 'data-owner', 'coordinator', 'verifier', 'verifier'];
/** The EDR devnet's providers (dev accounts 13, 14, then 16 …); the PoV devnet has at least 4 of them. */
const vesselKeysOf = (count: number) => [13, 14, ...Array.from({ length: count - 2 }, (_, i) => 16 + i)];
/** The PoV devnet's nodes: the 5 job roles + the GPU Vessels. */
export const POV_OTHER_NODES = OTHER_KEYS.length;
/** A validator's block lines are thinned to every this many blocks (one a slot from each proposer is noise). */
const BLOCK_LINE_EVERY = 10;

export interface PovDevnetRun {
  /** Each part's stop, filled in as it comes up (main.ts's stopAll calls them). */
  running: { starting: Promise<unknown>; nodes: () => Promise<void>; chain: () => Promise<void> };
}

export async function runPovDevnet(o: {
  /** GPU Vessels (validators + providers), ≥ 4. */
  vessels: number;
  /** The devnet's HTTP port (guarded JSON-RPC forwarded to validator 0, faucet, status); 0 = any free port. */
  port: number;
  dataDir: string;
  epochs: number;
  demoJob: boolean;
  log: (line: string) => void;
  signal: AbortSignal;
  running: PovDevnetRun['running'];
}): Promise<void> {
  const started = Date.now();
  const onEvent = (event: DevnetNodeEvent) => {
    if (!shownOnPov(event)) return;
    o.log(formatDevnetEvent(event));
  };
  let stopVessels = async () => {};
  o.running.chain = () => stopVessels();
  const pov = await startPovDevnetChain({
    dataDir: o.dataDir,
    vesselKeys: vesselKeysOf(o.vessels),
    log: o.log,
    onEvent,
    signal: o.signal,
    onVessels: (stop) => {
      stopVessels = stop;
    },
  });
  const { dev, deploymentFile } = pov;
  // The validators' own RPC for the devnet's nodes; the guarded port (the EDR devnet's URL) for everyone else.
  const rpcUrl = pov.rpcUrl;
  let nodeStatus = () => pov.vessels.status();
  const server = await startPovDevnetServer({
    port: o.port,
    validatorRpcUrl: rpcUrl,
    chain: pov.viemChain,
    deployment: dev.deployment,
    faucetKey: pov.keyOf(dev.roles.company),
    status: async () => ({ chain: await povChainStatus(pov), nodes: nodeStatus() }),
  });
  stopVessels = async () => {
    await server.close();
    await pov.close();
  };
  const r = dev.roles;
  for (const line of await describeDevnet(rpcUrl, dev.deployment, {
    treasury: r.treasury,
    coordinator: r.allocator,
    'verifier 1': r.verifiers[0]!,
    'verifier 2': r.verifiers[1]!,
    requester: r.users[0]!,
    'data owner': r.users[3]!,
    ...Object.fromEntries(pov.vessels.nodes.map((n, i) => [`vessel ${i + 1}`, n.address as `0x${string}`])),
  }))
    o.log(line);

  const starting = startDevnetNodes({
    count: OTHER_KEYS.length,
    // Each on another validator's RPC (round robin; `rpcUrl` would give them all validator 0's): a validator's
    // eth_call / eth_estimateGas cost seconds each on a loaded machine, and one serving every node timed out.
    deploymentFile,
    dataDir: o.dataDir,
    signal: o.signal,
    roles: OTHER_ROLES,
    privateKeys: OTHER_KEYS.map(devAccountKey),
    jobRoles: true,
    demoActivity: false,
    // Into the GPU Vessels' network (their node 0 bootstraps everyone).
    argsOf: (i) => [
      ...['--rpc-url', pov.validatorRpcUrls[(i + 1) % pov.validatorRpcUrls.length]!],
      ...(pov.vessels.nodes[0]?.multiaddrs ?? []).flatMap((b) => ['--bootstrap', b]),
    ],
    onEvent,
  });
  o.running.starting = starting.catch(() => undefined);
  const others = await starting;
  o.running.nodes = others.stop;
  const nodes = [...others.nodes, ...pov.vessels.nodes];
  nodeStatus = () => [...pov.vessels.status(), ...others.status()];
  const requester = others.nodes[0]!;
  for (const line of howToJoin(server.url, deploymentFile, pov.vessels.nodes[0]?.multiaddrs)) o.log(line);
  o.log(`  validators' own JSON-RPC (sign locally): ${pov.validatorRpcUrls.join(' ')}`);
  o.log(`  to validate too: aic node start … --pov-validator --pov-genesis ${pov.genesisFile}`);
  o.log(`web client: ${requester.apiUrl}/ (PLAZA, GPU offers, jobs, wallet)`);
  o.log(
    `ready in ${((Date.now() - started) / 1000).toFixed(1)} s — PoV chain (chain id ${pov.chain.chainId}), RPC ${server.url}, deployment ${deploymentFile}. Ctrl-C stops.`,
  );
  if (!o.demoJob) return;
  try {
    const report = await runNetworkedJob({
      apiTimeoutMs: devnetPovChain.apiTimeoutMs,
      chain: pov.chain,
      dev,
      nodes,
      log: o.log,
      signal: o.signal,
      epochs: o.epochs,
    });
    o.log(`job: job #${report.jobId} ${report.state} on the PoV chain (chain id ${pov.chain.chainId})`);
    if (report.trainedAssetId !== undefined) await runDemoInference(nodes, report.trainedAssetId, o.log);
    o.log('demo done: the rater nodes score this epoch once it ends (propose, check each other, apply)');
  } catch (error) {
    if (!o.signal.aborted) o.log(`demo job failed: ${isAicError(error) ? error.toLine() : String(error)}`);
  }
}

/** The chain part of `GET /status`: the validators' heads and finalized blocks. */
async function povChainStatus(pov: { validatorRpcUrls: string[]; validators: string[]; chain: { chainId: number } }) {
  const one = async (url: string) => {
    const call = async (params: unknown[]) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getBlockByNumber', params }),
        signal: AbortSignal.timeout(5_000),
      });
      return Number(((await res.json()) as { result?: { number?: string } }).result?.number ?? Number.NaN);
    };
    try {
      return { rpcUrl: url, head: await call(['latest', false]), finalized: await call(['finalized', false]) };
    } catch {
      return { rpcUrl: url, head: null, finalized: null };
    }
  };
  return {
    kind: 'pov',
    chainId: pov.chain.chainId,
    validators: pov.validators,
    byValidator: await Promise.all(pov.validatorRpcUrls.map(one)),
  };
}

/** Every node event but the validators' per-block lines, of which every BLOCK_LINE_EVERY-th proposal is shown. */
function shownOnPov(event: DevnetNodeEvent): boolean {
  if (event.type !== 'activity') return true;
  if (event.message === 'pov block finalized') return false;
  if (event.message === 'pov block proposed') return Number(event.fields.number) % BLOCK_LINE_EVERY === 0;
  return true;
}
