/**
 * The devnet soak (issue 18, done-when 2): real node processes — 3 requesters, 2 GPU Vessels, a data owner, the
 * coordinator and 2 verifiers — with `jobs` small Iris jobs submitted at once (round-robin over the requesters)
 * while the devnet's RPC fails `rpcFailureRate` of requests on purpose (dropped connections and 503s, from the
 * moment the jobs are submitted). It checks that every escrowed job settles exactly once on chain, that no AIC is
 * lost (balance + pull-payment credit + stake summed over every party is unchanged), and that no node exited, and
 * reports retries, redraws, injected faults and each node's peak RSS. Cutting checkpoint streams is not injected:
 * the checkpoint protocol (gpu-vessel) has no fault seam yet.
 */
import { readFile } from 'node:fs/promises';
import { AicError, aicToWei, isAicError, retry } from '@aic/core';
import { datasetRootOf, loadDatasetSource } from '@aic/gpu-vessel';
import { AssetKind, computeMarketAbi } from '@aic/ledger';
import { createDevClients } from '@aic/ledger/devchain';
import { TEMPLATES } from '@aic/model-vessel';
import { getAddress, keccak256, toHex } from 'viem';
import { type JobNetwork, startJobNetwork } from './job-network.ts';
import { nodeApi } from './node-api.ts';
import type { DevnetNodeEvent, DevnetNodeInfo, DevnetRole } from './nodes-events.ts';

export interface SoakOptions {
  jobs?: number;
  rpcFailureRate?: number;
  /** Tries per submit on a transient error (default 1: see soakOn). */
  submitAttempts?: number;
  /** Bound on the wait for every job to end. */
  timeoutMs?: number;
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
  });
  try {
    return await soakOn(net, o, log);
  } finally {
    await net.close();
  }
}

async function soakOn(net: JobNetwork, o: SoakOptions, log: (line: string) => void): Promise<SoakReport> {
  const jobs = o.jobs ?? 20;
  const { as, publicClient } = createDevClients(net.chain, net.dev.deployment);
  const byRole = (role: DevnetRole) => net.nodes.filter((n) => n.role === role);
  const requesters = byRole('requester');
  const dataOwner = getAddress(byRole('data-owner')[0]!.address);

  // One dataset and one model for every job (published in-process by the data owner, before any fault).
  const data = await loadDatasetSource('template:iris/train');
  const owner = as(dataOwner);
  const { tokenId: datasetId } = await owner.mintAsset({
    kind: AssetKind.Dataset,
    manifestCid: 'template:iris/train',
    contentRoot: datasetRootOf(data),
    pricePerUseWei: aicToWei('2'),
  });
  const { tokenId: modelId } = await owner.mintAsset({
    kind: AssetKind.Model,
    manifestCid: 'template:iris',
    contentRoot: keccak256(toHex(JSON.stringify(TEMPLATES.iris!.manifest))),
    pricePerUseWei: aicToWei('1'),
  });
  const body = {
    template: 'iris' as const,
    datasetId: String(datasetId),
    modelId: String(modelId),
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
        market.read.owed([who]),
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
  // Each job is submitted once (`submitAttempts` 1): a retry after a transient error can escrow twice — the node's
  // submit is not idempotent (the escrow may be mined while its receipt poll fails) — which the JobCreated count shows.
  let submitRetries = 0;
  const submissions = await Promise.allSettled(
    Array.from({ length: jobs }, (_, i) => {
      const node = requesters[i % requesters.length]!;
      return retry(() => nodeApi(node).submitJob({ body }), {
        attempts: o.submitAttempts ?? 1,
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

/** A submit that failed on the way to the chain (the node's RPC call failed), not a refusal of the job itself. */
function isTransientSubmitError(error: unknown): boolean {
  if (!isAicError(error)) return false;
  if (error.code === 'API_UNREACHABLE' || error.code.endsWith('_UNAVAILABLE')) return true;
  return (
    error.code === 'LEDGER_CALL_FAILED' && /HTTP request failed|internal error|fetch failed|socket/i.test(error.message)
  );
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until)
      throw new AicError('DEVNET_SOAK_TIMEOUT', `the providers did not register within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
