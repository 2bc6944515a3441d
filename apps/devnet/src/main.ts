/**
 * `npm start` / `npm run devnet -- --nodes N`: a local AIC devnet on 127.0.0.1 — the embedded EVM with every AIC
 * contract deployed and dev accounts funded, then N AIC nodes (requester, two GPU providers, data owner, more
 * providers) connected over libp2p, with what each does printed as it happens. Ctrl-C stops everything.
 */
import '@aic/core/polyfills';
import { join } from 'node:path';
import { isAicError } from '@aic/core';
import { Command, InvalidArgumentError } from 'commander';
import { describeDevnet, startDevnetChain } from './chain.ts';
import { runDemoJob } from './demo-job.ts';
import { fundNodeAccountsPastDevAccounts } from './fund-node-accounts.ts';
import { JOB_NODE_KEYS } from './job-network.ts';
import { devnetStatus, howToJoin } from './join.ts';
import { runNetworkedJob } from './networked-job.ts';
import type { NodeStatus } from './node-supervisor.ts';
import { type DevnetNodeInfo, devAccountKey, formatDevnetEvent, startDevnetNodes } from './nodes.ts';
import { runDemoInference } from './paid-inference.ts';
import { parseExtraMethods } from './rpc-guard.ts';

const positiveInt = (min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InvalidArgumentError(`expected an integer in [${min}, ${max}]`);
  return n;
};

const program = new Command('devnet')
  .description('Run a local AIC devnet: embedded chain + contracts + AIC nodes on 127.0.0.1')
  .option(
    '--nodes <n>',
    'number of AIC nodes (0 = chain only, the demo job then runs in-process; ≥ 7 runs it across the nodes)',
    positiveInt(0, 64),
    JOB_NODE_KEYS.length,
  )
  .option('--port <port>', 'JSON-RPC port of the chain (0 = any free port)', positiveInt(0, 65_535), 8545)
  .option('--data-dir <dir>', 'where the deployment file and node state live', '.devnet')
  .option(
    '--block-interval-ms <ms>',
    'mine a block at least this often (≥ 1000: every block is ≥ 1 s after the last, faster runs the chain ahead)',
    positiveInt(1_000, 60_000),
    1_000,
  )
  .option(
    '--chain <kind>',
    "the chain: 'edr' (the embedded EVM, mined by this process) or 'pov' (the PoV chain, produced and validated by the devnet's GPU Vessels: ≥ 4 validator processes)",
    (value: string) => {
      if (value !== 'edr' && value !== 'pov') throw new InvalidArgumentError("expected 'edr' or 'pov'");
      return value;
    },
    'edr',
  )
  .option('--epochs <n>', 'epochs of the demo training job', positiveInt(1, 100), 1)
  .option('--no-demo-job', 'skip the demo training job (escrow → allocation → training → verification → settlement)')
  .option('--exit-when-ready', 'stop once everything is up (for scripts and tests)', false)
  .parse();

const opts = program.opts<{
  nodes: number;
  port: number;
  dataDir: string;
  blockIntervalMs: number;
  demoJob: boolean;
  exitWhenReady: boolean;
  epochs: number;
  chain: 'edr' | 'pov';
}>();
const log = (line: string) => console.log(`[devnet] ${line}`);
const controller = new AbortController();

/**
 * What a stop (Ctrl-C, SIGTERM, --exit-when-ready) must end, filled in as the parts come up: a signal while nodes are
 * still starting aborts their starts (spawnNodeProcess ends those children) and waits for that, so nothing is left.
 */
const running = {
  starting: Promise.resolve() as Promise<unknown>,
  nodes: async () => {},
  chain: async () => {},
};
let stopping: Promise<void> | undefined;
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    controller.abort();
    await running.starting;
    await running.nodes();
    await running.chain();
  })();
  return stopping;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    void stopAll().then(() => process.exit(0));
  });
}

async function main(): Promise<void> {
  if (opts.chain === 'pov') {
    // Loaded only here: the PoV chain's modules (EthereumJS) are not needed by the EDR devnet.
    const { runPovDevnet, POV_OTHER_NODES } = await import('./pov-devnet.ts');
    const { devnetPovChain } = await import('@aic/core/params');
    await runPovDevnet({
      // --nodes beyond the 5 job roles are GPU Vessels (validators + providers), at least the preset's validators.
      vessels: Math.max(devnetPovChain.validators, opts.nodes - POV_OTHER_NODES),
      port: opts.port,
      dataDir: join(opts.dataDir, 'pov'),
      epochs: opts.epochs,
      demoJob: opts.demoJob,
      log,
      signal: controller.signal,
      running,
    });
    if (opts.exitWhenReady) await stopAll();
    return;
  }
  const started = Date.now();
  // The devnet preset's contract parameters: a 5 s challenge window, so the demo job settles seconds after its verdict.
  const devchain = await startDevnetChain({
    ...opts,
    log,
    // Tests only: methods a test must call from outside (e.g. evm_increaseTime to close a rewards epoch), and a
    // fraction of RPC requests to fail on purpose.
    extraRpcMethods: parseExtraMethods(process.env.AIC_DEVNET_RPC_ALLOW),
    ...(process.env.AIC_FAULT_RPC_FAILURE_RATE === undefined
      ? {}
      : { rpcFaultRate: Number(process.env.AIC_FAULT_RPC_FAILURE_RATE) }),
  });
  running.chain = () => devchain.close();
  const { chain, rpcUrl, dev, deploymentFile } = devchain;
  const r = dev.roles;
  const accounts = {
    treasury: r.treasury,
    allocator: r.allocator,
    coordinator: r.allocator,
    'verifier 1': r.verifiers[0]!,
    'verifier 2': r.verifiers[1]!,
    requester: r.users[0]!,
    'provider 1': r.users[1]!,
    'provider 2': r.users[2]!,
    'data owner': r.users[3]!,
  };
  for (const line of await describeDevnet(rpcUrl, dev.deployment, accounts)) log(line);
  let nodes: DevnetNodeInfo[] = [];
  let nodeStatus: () => NodeStatus[] = () => [];
  devchain.routes['GET /status'] = async () => ({ status: 200, body: devnetStatus(devchain, nodeStatus()) });
  const networked = opts.nodes >= JOB_NODE_KEYS.length;
  if (opts.nodes > 0) {
    // Nodes 0-3 use the funded dev accounts 12-15 (requester, 2 GPU Vessels, data owner); with ≥ 7 nodes, node 4 is
    // the coordinator (allocator + arbiter key) and nodes 5-6 the verifiers, and further nodes are more providers.
    const keys = networked
      ? [...JOB_NODE_KEYS, ...Array.from({ length: opts.nodes - JOB_NODE_KEYS.length }, (_, i) => 16 + i)]
      : Array.from({ length: opts.nodes }, (_, i) => 12 + i);
    await fundNodeAccountsPastDevAccounts(devchain, keys, log);
    const starting = startDevnetNodes({
      count: opts.nodes,
      rpcUrl,
      deploymentFile,
      dataDir: opts.dataDir,
      signal: controller.signal,
      privateKeys: keys.map(devAccountKey),
      jobRoles: networked,
      // Offers and an announced job to look at; part of the demo, so --no-demo-job skips it too.
      demoActivity: !networked && opts.demoJob,
      onEvent: (event) => log(formatDevnetEvent(event)),
    });
    running.starting = starting.catch(() => undefined);
    const devnet = await starting;
    running.nodes = devnet.stop;
    nodes = devnet.nodes;
    nodeStatus = devnet.status;
  }
  for (const line of howToJoin(rpcUrl, deploymentFile, nodes[0]?.multiaddrs)) log(line);
  // The requester node (node 0) serves the web client at its API's origin.
  if (nodes[0] !== undefined) log(`web client: ${nodes[0].apiUrl}/ (PLAZA, GPU offers, jobs, wallet)`);
  log(
    `ready in ${((Date.now() - started) / 1000).toFixed(1)} s — RPC ${rpcUrl}, deployment ${deploymentFile}. Ctrl-C stops.`,
  );
  if (opts.demoJob) {
    // A failed demo is reported and the devnet keeps serving; an abort (Ctrl-C) just ends it.
    const demo = networked
      ? runNetworkedJob({ chain, dev, nodes, log, signal: controller.signal, epochs: opts.epochs }).then(
          async (report) => {
            // Another member pays to use the TrainedAI. The rater nodes (requester, coordinator) score the epoch's
            // usage once it ends: they propose, check each other's proposals and apply the winning set.
            if (report.trainedAssetId !== undefined) await runDemoInference(nodes, report.trainedAssetId, log);
          },
        )
      : runDemoJob({ chain, dev, log, signal: controller.signal });
    await demo.then(
      () => log('demo done: the rater nodes score this epoch once it ends (propose, check each other, apply)'),
      (error: unknown) => {
        if (!controller.signal.aborted) log(`demo job failed: ${isAicError(error) ? error.toLine() : String(error)}`);
      },
    );
  }
  if (opts.exitWhenReady) await stopAll();
}

main().catch((error: unknown) => {
  // Stopped while starting: the signal's handler ends what is up and exits.
  if (controller.signal.aborted) return;
  console.error(
    `[devnet] ${isAicError(error) ? error.toLine() : error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
