/**
 * `npm run bench -- soak [jobs] [rpcFailureRate] [checkpointCutEvery] [timeoutMin]`: the devnet soak (apps/devnet/src/soak.ts) —
 * 9 node processes, 20 small jobs at once from 3 requesters, the chain's RPC failing 10 % of requests and one
 * checkpoint stream in ten cut mid-transfer. Prints what happened, then one JSON line; exits 1 when a job did not
 * settle exactly once under its own id, AIC was lost or a node exited.
 */
import { cpus, loadavg } from 'node:os';
import { runSoak } from '../apps/devnet/src/soak.ts';

const jobs = Number(process.argv[2] ?? 20);
const rpcFailureRate = Number(process.argv[3] ?? 0.1);
const checkpointCutEvery = Number(process.argv[4] ?? 10);
const timeoutMin = Number(process.argv[5] ?? 30);
const load = loadavg()[0]!;
const t0 = Date.now();
const r = await runSoak({
  jobs,
  rpcFailureRate,
  checkpointCutEvery,
  timeoutMs: timeoutMin * 60_000,
  ...(process.env.AIC_SOAK_EVENTS === undefined ? {} : { eventsFile: process.env.AIC_SOAK_EVENTS }),
  // Seconds since the start and the load now: the soak's pace depends on what else the machine runs.
  log: (line) =>
    console.log(`[soak +${((Date.now() - t0) / 1000).toFixed(0)} s, load ${loadavg()[0]!.toFixed(1)}] ${line}`),
});
const loadAfter = loadavg()[0]!;
const ok =
  r.submitted === jobs &&
  r.duplicateJobIds === 0 &&
  r.escrowed === jobs &&
  r.settled === r.escrowed &&
  r.settledTwice === 0 &&
  r.conservationDeltaWei === 0n &&
  r.nodeExits === 0 &&
  r.resultErrors.length === 0;
if (r.submitErrors.length > 0) console.log(`[soak] submit errors: ${r.submitErrors.join(' | ')}`);
if (r.unfinished.length > 0) console.log(`[soak] unfinished: ${r.unfinished.join(', ')}`);
if (r.resultErrors.length > 0) console.log(`[soak] result errors: ${r.resultErrors.join(' | ')}`);
console.log(
  `[soak] ${r.settled}/${r.escrowed} escrowed jobs settled (${r.submitted}/${jobs} submits answered, ${r.submitRetries} submit retries) in ${(r.wallMs / 1000).toFixed(0)} s; ${r.settledTwice} settled twice; AIC delta ${r.conservationDeltaWei} wei; ${r.retries} retries, ${r.redraws} redraws; ${r.rpcFaults} of ${r.rpcRequests} RPC requests failed on purpose; ${r.checkpointFetchFailures} checkpoint fetches failed (1 stream in ${checkpointCutEvery} cut); ${r.duplicateJobIds} duplicate job ids; ${r.nodeExits} node exits; peak RSS MiB ${JSON.stringify(r.maxRssMbByNode)}`,
);
console.log(
  JSON.stringify({
    bench: 'soak',
    ok,
    jobs,
    submitted: r.submitted,
    submitRetries: r.submitRetries,
    duplicateJobIds: r.duplicateJobIds,
    escrowed: r.escrowed,
    settled: r.settled,
    settledTwice: r.settledTwice,
    conservationDeltaWei: r.conservationDeltaWei.toString(),
    retries: r.retries,
    redraws: r.redraws,
    rpcFailureRate,
    rpcFaults: r.rpcFaults,
    rpcRequests: r.rpcRequests,
    checkpointCutEvery,
    checkpointFetchFailures: r.checkpointFetchFailures,
    nodeExits: r.nodeExits,
    maxRssMb: Math.max(0, ...Object.values(r.maxRssMbByNode)),
    maxRssMbByNode: r.maxRssMbByNode,
    wallMs: r.wallMs,
    cpus: cpus().length,
    loadAvg1m: Number(load.toFixed(2)),
    loadAvg1mAfter: Number(loadAfter.toFixed(2)),
  }),
);
process.exit(ok ? 0 : 1);
