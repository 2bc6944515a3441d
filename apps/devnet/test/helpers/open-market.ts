/**
 * The open-market end-to-end test's plumbing (issue 12, done-when 1, 3, 4): the job network with a member B (model
 * owner), a Storage Vessel node and a member C, the `aic` CLI run as a real process against one node, balances as
 * "earned" (AIC + pull-payment credits), a node's Prometheus counter, and the dataset's test split read from the
 * import folder the data owner made.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { readDatasetDir } from '@aic/data-vessel';
import { type LedgerClient, marketClaimableOf } from '@aic/ledger';
import { datasetFromSafetensors } from '@aic/model-vessel';
import type { Address } from 'viem';
import { type JobNetwork, startJobNetwork } from '../../src/job-network.ts';
import type { DevnetNodeInfo, DevnetRole } from '../../src/nodes.ts';

/** The installed `aic` entry of the checkout (its build when current, else the sources through tsx). */
const AIC_BIN = join(import.meta.dirname, '..', '..', '..', 'cli', 'bin', 'aic.js');

/**
 * The nodes by index. The Storage Vessel is node 0, the one every other node bootstraps to, so the data owner is
 * connected to it (a replica is placed on connected storage nodes) without anything else to wait for. One GPU Vessel:
 * every job lands on it, so the repeated job's cache is that provider's (done-when 3).
 */
export const OPEN_MARKET = {
  storage: 0,
  requester: 1,
  provider: 2,
  dataOwner: 3,
  coordinator: 4,
  /** VERIFIER_ROLE holders with a node: accounts 8 and 9, and the coordinator's (7), which the devnet lets verify. */
  verifiers: [4, 5, 6],
  modelOwner: 7,
  caller: 8,
} as const;
/** Dev accounts (12+ are funded users; 7 allocates, 8 and 9 verify). */
const KEYS = [16, 12, 13, 15, 7, 8, 9, 14, 17];
const ROLES: DevnetRole[] = [
  'data-owner',
  'requester',
  'gpu-provider',
  'data-owner',
  'coordinator',
  'verifier',
  'verifier',
  'data-owner',
  'requester',
];

export function startOpenMarketNetwork(): Promise<JobNetwork> {
  return startJobNetwork({
    keys: KEYS,
    roles: ROLES,
    argsOf: (index) => (index === OPEN_MARKET.storage ? ['--storage'] : []),
  });
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  argv: string[];
}

/** `aic --json --api <node> --data-dir <node's dir> <argv>` as a real process (the node's API token is in its dir). */
export function aicOn(node: DevnetNodeInfo, argv: string[], timeoutMs = 120_000): Promise<CliRun> {
  const full = ['--json', '--api', node.apiUrl, '--data-dir', node.dataDir, ...argv];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [AIC_BIN, ...full],
      { env: process.env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr, argv: full });
      },
    );
  });
}

/** Runs `aic` and parses its JSON output: the last JSON line (a --follow stream prints one per change). */
export async function aicJson<T>(node: DevnetNodeInfo, argv: string[], timeoutMs?: number): Promise<T> {
  const run = await aicOn(node, argv, timeoutMs);
  if (run.code !== 0) {
    throw new Error(
      `aic ${argv.join(' ')} exited ${run.code}:\n${run.stderr.slice(-4_000)}\n${run.stdout.slice(-2_000)}`,
    );
  }
  // One (pretty-printed) JSON value, or a --follow stream of compact lines whose last one is the outcome.
  const text = run.stdout.trim();
  try {
    return JSON.parse(text) as T;
  } catch {
    return JSON.parse(text.split('\n').at(-1) ?? 'null') as T;
  }
}

/** Every JSON line `aic` printed (a job submit prints the quote, the job id, then one status per change). */
export function jsonLines(run: CliRun): Record<string, unknown>[] {
  return run.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** AIC balance plus what ComputeMarket (credits, accrued asset and protocol fees), Payroll and StorageMarket owe the
 * account (pull payments). */
export async function earned(ledger: LedgerClient, who: Address): Promise<bigint> {
  const [balance, market, payroll, storage] = await Promise.all([
    ledger.token.read.balanceOf([who]),
    marketClaimableOf(ledger, who),
    ledger.payroll.read.owed([who]),
    ledger.storage.read.owed([who]),
  ]);
  return balance + market + payroll + storage;
}

export async function earnedAll(ledger: LedgerClient, who: readonly Address[]): Promise<Map<Address, bigint>> {
  const values = await Promise.all(who.map((w) => earned(ledger, w)));
  return new Map(who.map((w, i) => [w, values[i]!]));
}

export function deltasOf(before: Map<Address, bigint>, after: Map<Address, bigint>): Map<Address, bigint> {
  return new Map([...before].map(([who, b]) => [who, (after.get(who) ?? 0n) - b]));
}

/** One counter of a node's `/metrics` (0 when the node has not counted anything yet). */
export async function metric(node: DevnetNodeInfo, name: string): Promise<number> {
  const text = await (await fetch(`${node.apiUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** The dataset's held-out rows (after the training split) from an `aic data import` folder: inputs and class ids. */
export async function testSplit(dir: string, most: number): Promise<{ inputs: number[][]; labels: number[] }> {
  const { manifest, shards } = await readDatasetDir(dir);
  const inputs: number[][] = [];
  const labels: number[] = [];
  let row = 0;
  for (const bytes of shards) {
    const part = datasetFromSafetensors(bytes);
    const width = part.featureShape.reduce((a, d) => a * d, 1);
    for (let i = 0; i < part.count; i++, row++) {
      if (row < manifest.split.trainRows || inputs.length >= most) continue;
      inputs.push(Array.from(part.features.subarray(i * width, (i + 1) * width)));
      labels.push(Number(part.labels[i]));
    }
  }
  return { inputs, labels };
}
