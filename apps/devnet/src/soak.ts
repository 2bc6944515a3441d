/**
 * The devnet soak (issue 18, done-when 2): real node processes — 3 requesters, 2 GPU Vessels, a data owner, the
 * coordinator and 2 verifiers — with `jobs` small Iris jobs submitted at once (round-robin over the requesters)
 * while the devnet's RPC fails `rpcFailureRate` of requests on purpose (dropped connections and 503s, from the
 * moment the jobs are submitted) and every node cuts one checkpoint stream in ten that it serves mid-transfer
 * (gpu-vessel's test-only AIC_TEST_CHECKPOINT_CUT_EVERY). The dataset and model are the iris template published
 * through the data owner's node like a member's own assets (template-assets.ts). Each job carries its own idempotency
 * key, so a submit whose answer was lost to a fault is retried on the same node without escrowing twice. It checks
 * that every job settles exactly once on chain under distinct ids, that no AIC is lost (balance + pull-payment credit
 * + stake summed over every party is unchanged), and that no node exited, and reports retries, redraws, injected
 * faults and each node's peak RSS.
 */
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AicError, aicToWei, isAicError, retry } from '@aic/core';
import { computeMarketAbi, marketClaimableOf } from '@aic/ledger';
import { createDevClients } from '@aic/ledger/devchain';
import { getAddress } from 'viem';
import { type JobNetwork, startJobNetwork } from './job-network.ts';
import { nodeApi } from './node-api.ts';
import type { DevnetNodeEvent, DevnetNodeInfo, DevnetRole } from './nodes-events.ts';
import { writeTemplateAssets } from './template-assets.ts';

export interface SoakOptions {
  jobs?: number;
  rpcFailureRate?: number;
  /** Each node cuts every Nth checkpoint stream it serves mid-transfer (default 10; 0: none). */
  checkpointCutEvery?: number;
  /** Tries per submit on a transient error, on the same node with the same idempotency key (default 8: at load 70
   * on 2 cores 2 of 20 submits still failed after 5, waits 1 + 2 + 4 + 8 s). */
  submitAttempts?: number;
  /** Bound on the wait for every job to end. */
  timeoutMs?: number;
  /** Every node's log lines (info and up) and the devnet's events are appended here as they come, for diagnosis. */
  eventsFile?: string;
  log?: (line: string) => void;
}

export interface SoakReport {
  jobs: number;
  submitted: number;
  submitErrors: string[];
  /** Submits the soak retried after the node answered with a transient chain error. */
  submitRetries: number;
  /** Jobs escrowed on chain by the requesters (a submit that failed after its escrow still counts). */
  escrowed: number;
  /** Submits answered with a job id another submit was answered with too (must be none: one key, one job). */
  duplicateJobIds: number;
  settled: number;
  /** Jobs with more than one JobSettled event (must be none). */
  settledTwice: number;
  /** Jobs that did not end before the timeout, with their last state. */
  unfinished: string[];
  resultErrors: string[];
  /** Σ over every party of (balance + owed + stake) + the escrow still held for the soak's jobs, after − before: 0
   * when no AIC is lost (also while jobs are open). */
  conservationDeltaWei: bigint;
  retries: number;
  redraws: number;
  rpcFaults: number;
  /** JSON-RPC HTTP requests received (faults are drawn per request). */
  rpcRequests: number;
  /** Checkpoint fetches that failed, as the nodes logged them (the injected cuts show here). */
  checkpointFetchFailures: number;
  nodeExits: number;
  maxRssMbByNode: Record<string, number>;
  wallMs: number;
}

const ROLES: DevnetRole[] = [
  'requester',
  'gpu-provider',
  'gpu-provider',
  'data-owner',
  'coordinator',
  'verifier',
  'verifier',
  'requester',
  'requester',
];
const KEYS = [12, 13, 14, 15, 7, 8, 9, 16, 17];
const TERMINAL = new Set(['Settled', 'Slashed', 'Refunded', 'Expired']);

/** Starts the soak network, runs the soak, and always closes the network. */
export async function runSoak(o: SoakOptions = {}): Promise<SoakReport> {
  const log = o.log ?? (() => {});
  log(`starting ${ROLES.length} node processes and the chain`);
  const net = await startJobNetwork({
    roles: ROLES,
    keys: KEYS,
    // No canaries: every job in the market is one of the soak's.
    argsOf: (i) => (ROLES[i] === 'coordinator' ? ['--canary-interval-ms', '0'] : []),
    envOf: () => ({ AIC_TEST_CHECKPOINT_CUT_EVERY: String(o.checkpointCutEvery ?? 10) }),
  });
  const flush = o.eventsFile === undefined ? undefined : startEventsFile(net.lines, o.eventsFile);
  if (o.eventsFile !== undefined) log(`node logs and events go to ${o.eventsFile}`);
  try {
    return await soakOn(net, o, log);
  } finally {
    await flush?.stop();
    await net.close();
  }
}

/** Appends the lines pushed to `lines` to `file` every second (and once more on stop). */
function startEventsFile(lines: string[], file: string): { stop(): Promise<void> } {
  let written = 0;
  let chain = Promise.resolve();
  const flush = () => {
    const next = lines.slice(written);
    written += next.length;
    if (next.length > 0) chain = chain.then(() => appendFile(file, `${next.join('\n')}\n`)).catch(() => {});
    return chain;
  };
  const timer = setInterval(flush, 1_000);
  return {
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}

async function soakOn(net: JobNetwork, o: SoakOptions, log: (line: string) => void): Promise<SoakReport> {
  const jobs = o.jobs ?? 20;
  const { as, publicClient } = createDevClients(net.chain, net.dev.deployment);
  const byRole = (role: DevnetRole) => net.nodes.filter((n) => n.role === role);
  const requesters = byRole('requester');
  const dataOwner = getAddress(byRole('data-owner')[0]!.address);

  // One dataset and one model for every job, published through the data owner's node before any fault.
  const { datasetId, modelId } = await publishIris(byRole('data-owner')[0]!);
  log(`dataset #${datasetId} and model #${modelId} published by the data owner's node`);
  const body = {
    datasetId,
    modelId,
    epochs: 1,
    backend: 'wasm' as const,
    commitEverySteps: 5,
    budgetAic: '40',
    verifierFeeAic: '3',
  };

  const parties = [...new Set([...net.nodes.map((n) => getAddress(n.address)), net.dev.roles.treasury])];
  const market = as(dataOwner).market;
  const holdings = async () => {
    let sum = 0n;
    for (const who of parties) {
      const [balance, owed, provider] = await Promise.all([
        as(who).balanceOf(who),
        marketClaimableOf(as(who), who), // credits and accrued asset/protocol fees
        market.read.providerOf([who]),
      ]);
      sum += balance + owed + BigInt(provider.stake);
    }
    return sum;
  };
  // Providers stake when their agent starts: wait until both are registered before the first snapshot.
  await waitUntil(async () => {
    const registered = await Promise.all(
      byRole('gpu-provider').map((p) => market.read.providerOf([getAddress(p.address)])),
    );
    return registered.every((p) => p.registered);
  }, 120_000);
  const heldEscrow = async (ids: bigint[]) =>
    (await Promise.all(ids.map((id) => market.read.jobOf([id])))).reduce((sum, j) => sum + BigInt(j.escrow), 0n);
  const before = await holdings();
  const fromBlock = await publicClient.getBlockNumber();

  net.server.setFaultRate(o.rpcFailureRate ?? 0.1);
  log(
    `submitting ${jobs} jobs from ${requesters.length} requesters; the RPC now fails ${(o.rpcFailureRate ?? 0.1) * 100} % of requests`,
  );
  const started = Date.now();
  // Each job has its own idempotency key: a retry after a lost answer (the escrow may have been mined while the
  // node's receipt wait failed) returns the first job instead of escrowing again, which the JobCreated count checks.
  const run = `soak-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  let submitRetries = 0;
  const submissions = await Promise.allSettled(
    Array.from({ length: jobs }, (_, i) => {
      const node = requesters[i % requesters.length]!;
      const keyed = { ...body, idempotencyKey: `${run}-${i}` };
      return retry(() => nodeApi(node).submitJob({ body: keyed }), {
        attempts: o.submitAttempts ?? 8,
        baseMs: 1_000,
        retryable: isTransientSubmitError,
        onRetry: () => void submitRetries++,
      }).then((s) => ({ node, jobId: s.jobId }));
    }),
  );
  const submitted = submissions.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const submitErrors = submissions.flatMap((s) =>
    s.status === 'rejected' ? [isAicError(s.reason) ? s.reason.toLine() : String(s.reason)] : [],
  );
  log(`${submitted.length} submitted, ${submitErrors.length} refused: ${submitErrors.slice(0, 3).join(' | ')}`);

  const final = await followJobs(submitted, o.timeoutMs ?? 20 * 60_000, log);
  net.server.setFaultRate(0);
  const wallMs = Date.now() - started;

  const where = { address: net.dev.deployment.contracts.ComputeMarket, abi: computeMarketAbi, fromBlock } as const;
  const created = await publicClient.getContractEvents({ ...where, eventName: 'JobCreated' });
  const settledEvents = await publicClient.getContractEvents({ ...where, eventName: 'JobSettled' });
  const redrawn = await publicClient.getContractEvents({ ...where, eventName: 'VerifierRedrawn' });
  const settledCount = new Map<bigint, number>();
  for (const e of settledEvents) settledCount.set(e.args.jobId!, (settledCount.get(e.args.jobId!) ?? 0) + 1);
  const events = net.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as DevnetNodeEvent);
  const retryLines = events.filter((e) => e.type === 'activity' && /retr/i.test(e.message)).length;
  const statusRetries = [...final.values()].reduce((sum, s) => sum + (Number(s.retries) || 0), 0);
  const stats = net.server.stats();
  return {
    jobs,
    submitted: submitted.length,
    submitErrors,
    submitRetries,
    escrowed: created.length,
    duplicateJobIds: submitted.length - new Set(submitted.map((s) => s.jobId)).size,
    settled: created.filter((c) => settledCount.has(c.args.jobId!)).length,
    settledTwice: [...settledCount.values()].filter((n) => n > 1).length,
    unfinished: [...final].filter(([, s]) => !isDone(s)).map(([id, s]) => `#${id} ${String(s.state)}`),
    resultErrors: [...final].flatMap(([id, s]) =>
      s.resultError === undefined ? [] : [`#${id} ${String(s.resultError)}`],
    ),
    conservationDeltaWei: (await holdings()) + (await heldEscrow(created.map((c) => c.args.jobId!))) - before,
    retries: Math.max(retryLines, statusRetries),
    redraws: redrawn.length,
    rpcFaults: stats.faults,
    rpcRequests: stats.httpRequests,
    checkpointFetchFailures: net.lines.filter((l) =>
      /CHECKPOINT_FETCH_FAILED|checkpoint \d+ of job \d+ could not be fetched/.test(l),
    ).length,
    nodeExits: events.filter((e) => e.type === 'crashed').length,
    maxRssMbByNode: await peakRss(net.status().map((s) => ({ name: `${s.index}-${s.role}`, pid: s.pid }))),
    wallMs,
  };
}

type JobStatusView = Record<string, unknown> & { state?: unknown; resultError?: unknown; retries?: unknown };

const isDone = (s: JobStatusView) =>
  s.trainedAssetId !== undefined ||
  s.resultError !== undefined ||
  (TERMINAL.has(String(s.state)) && s.state !== 'Settled');

/** Polls each job's requester until every job ended or the bound passed; a failed poll (an RPC fault) is retried. */
async function followJobs(
  submitted: { node: DevnetNodeInfo; jobId: string }[],
  timeoutMs: number,
  log: (line: string) => void,
): Promise<Map<string, JobStatusView>> {
  const last = new Map<string, JobStatusView>(submitted.map((s) => [s.jobId, { state: 'unknown' }]));
  const until = Date.now() + timeoutMs;
  let shown = '';
  while (Date.now() < until) {
    await Promise.all(
      submitted
        .filter((s) => !isDone(last.get(s.jobId)!))
        .map(async (s) => {
          const status = await nodeApi(s.node)
            .jobStatus({ query: { jobId: s.jobId } })
            .catch(() => undefined);
          if (status !== undefined) last.set(s.jobId, status as unknown as JobStatusView);
        }),
    );
    const counts = new Map<string, number>();
    for (const s of last.values()) {
      const k = isDone(s) ? (s.resultError === undefined ? 'done' : 'result-failed') : String(s.state);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const line = [...counts].map(([k, n]) => `${k} ${n}`).join(', ');
    if (line !== shown) {
      shown = line;
      log(`jobs: ${line}`);
    }
    if ([...last.values()].every(isDone)) break;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return last;
}

/** Peak resident set (VmHWM) of each live node process, in MiB. */
async function peakRss(nodes: { name: string; pid: number | null }[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const n of nodes) {
    if (n.pid === null) continue;
    const status = await readFile(`/proc/${n.pid}/status`, 'utf8').catch(() => '');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status);
    if (kb) out[n.name] = Math.round(Number(kb[1]) / 1024);
  }
  return out;
}

/** A submit that failed on the way to the chain or back (the node's RPC call failed, the answer timed out), not a
 * refusal of the job itself. Safe to retry: the idempotency key makes a retry return the first job. */
function isTransientSubmitError(error: unknown): boolean {
  if (!isAicError(error)) return false;
  if (['API_UNREACHABLE', 'API_TIMEOUT', 'LEDGER_CALL_FAILED'].includes(error.code)) return true;
  return error.code.endsWith('_UNAVAILABLE');
}

/** The data owner's node publishes the iris template's examples and model through its API, as a member would. */
async function publishIris(owner: DevnetNodeInfo): Promise<{ datasetId: string; modelId: string }> {
  const dir = await mkdtemp(join(owner.dataDir, 'import-'));
  try {
    const written = await writeTemplateAssets('iris', dir, aicToWei('2'));
    const api = nodeApi(owner);
    const dataset = await api.publishDataset({ body: { dir: written.datasetDir, pricePerUseAic: '2' } });
    const model = await api.publishModel({ body: { manifest: written.modelManifest, pricePerUseAic: '1' } });
    return { datasetId: dataset.datasetId, modelId: model.modelId };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until)
      throw new AicError('DEVNET_SOAK_TIMEOUT', `the providers did not register within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
