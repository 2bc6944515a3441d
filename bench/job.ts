/**
 * `npm run bench -- job [--epochs N] [--commit-every K]`: one MNIST training job of about a minute through the devnet
 * — 7 real node processes on 127.0.0.1 (requester, 2 GPU Vessels, data owner, coordinator, 2 verifiers) and the
 * served chain — from escrow to the TrainedAI NFT (assignment, training in the provider's worker process with
 * checkpoints mirrored to the requester, verification of sampled segments, settlement, minting), against the same
 * training run locally in this process (the deterministic runtime, no network). Both produce the same commitment
 * root. Prints, last, {"bench":"job","ratio":..} = networked wall time / local wall time (goal ≤ 1.25), with the
 * networked phases broken down.
 */
import '@aic/core/polyfills';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startJobNetwork } from '../apps/devnet/src/job-network.ts';
import { runNetworkedJob } from '../apps/devnet/src/networked-job.ts';
import { ticketTrainData } from '../apps/devnet/src/template-train-split.ts';
import { decodeJobTicket, ticketHash } from '../packages/gpu-vessel/src/index.ts';
import { createDevClients } from '../packages/ledger/src/devchain/index.ts';
import { computeMarketAbi } from '../packages/ledger/src/index.ts';
import { trainJob } from '../packages/model-vessel/src/index.ts';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { epochs: { type: 'string', default: '16' }, 'commit-every': { type: 'string', default: '12' } },
});
const epochs = Number(values.epochs);
const commitEverySteps = Number(values['commit-every']);

const net = await startJobNetwork();
const phases = new Map<string, number>();
const started = Date.now();
let report: Awaited<ReturnType<typeof runNetworkedJob>>;
let committedRoot: string | undefined;
try {
  report = await runNetworkedJob({
    chain: net.chain,
    dev: net.dev,
    nodes: net.nodes,
    log: (line) => console.log(line),
    signal: new AbortController().signal,
    epochs,
    commitEverySteps,
    timeoutMs: 900_000,
    onStatus: (s) => {
      if (!phases.has(s.state)) phases.set(s.state, Date.now() - started);
    },
  });
  const { publicClient } = createDevClients(net.chain, net.dev.deployment);
  const [committed] = await publicClient.getContractEvents({
    address: net.dev.deployment.contracts.ComputeMarket,
    abi: computeMarketAbi,
    eventName: 'ResultCommitted',
    args: { jobId: report.jobId },
    fromBlock: 0n,
  });
  committedRoot = committed?.args.checkpointRoot;
} finally {
  await net.close().catch(() => undefined);
}
const requester = net.nodes.find((n) => n.role === 'requester')!;
const bytes = new Uint8Array(await readFile(join(requester.dataDir, 'jobs', String(report.jobId), 'ticket.json')));
const ticket = decodeJobTicket(bytes, ticketHash(bytes));

// The same training locally, after the devnet is gone (a quiet machine for the baseline).
const data = await ticketTrainData(ticket);
const localStart = performance.now();
const local = await trainJob(ticket.spec, data);
const localMs = performance.now() - localStart;
local.model.dispose();

const networkedMs = report.wallMs;
console.log(
  `networked ${(networkedMs / 1000).toFixed(1)} s (state → first seen at ms: ${[...phases].map(([s, t]) => `${s} ${t}`).join(', ')}); local ${(localMs / 1000).toFixed(1)} s; ${report.quote.segments} segments, verifier re-ran ${report.quote.samples}`,
);
console.log(
  JSON.stringify({
    bench: 'job',
    ratio: Number((networkedMs / localMs).toFixed(3)),
    networkedMs: Math.round(networkedMs),
    localMs: Math.round(localMs),
    epochs,
    segments: report.quote.segments,
    verifiedSegments: report.quote.samples,
    state: report.state,
    sameRootAsLocal: committedRoot === local.commitmentRoot,
  }),
);
process.exit(0);
