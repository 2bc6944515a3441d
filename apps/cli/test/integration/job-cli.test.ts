/**
 * `aic job submit | status | logs | result` end to end: the devnet as `npm start` runs it with the job roles (chain +
 * requester, 2 GPU Vessels, data owner, coordinator, 2 verifiers, each a real process on 127.0.0.1), the data owner's
 * MNIST examples and MLP published through its node as NFTs (issue 12: one path), then the CLI as a person would run it against the requester's node.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { aicToWei } from '@aic/core';
import { buildDataset, writeDatasetDir } from '@aic/data-vessel';
import { mnistTemplate } from '@aic/model-vessel';
import { createApiClient } from '@aic/node/api';
import { type Address, getAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIC_BIN, type AicRun } from '../helpers/run-aic.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const JOB_TIMEOUT_MS = 300_000;

interface Devnet {
  child: ChildProcess;
  lines: string[];
  rpcUrl: string;
  deploymentFile: string;
  nodes: Map<string, { apiUrl: string; address: Address; dataDir: string }>;
}

/** The devnet exactly as `npm start` runs it with 7 nodes (job roles), minus the demo job; resolves once ready. */
function startDevnet(dataDir: string): Promise<Devnet> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'apps/devnet/src/main.ts',
      '--nodes',
      '7',
      '--no-demo-job',
      '--port',
      '0',
      '--data-dir',
      dataDir,
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const nodes: Devnet['nodes'] = new Map();
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const node = /node (\d+) \(([a-z-]+)\) ready: api (\S+) address (0x[0-9a-fA-F]{40})/.exec(line);
      if (node && !nodes.has(node[2]!)) {
        // The node's data directory holds its API token, which writes (job submit) need.
        const nodeDir = join(dataDir, `node-${node[1]}-${node[2]}`);
        nodes.set(node[2]!, { apiUrl: node[3]!, address: getAddress(node[4]!), dataDir: nodeDir });
      }
      const ready = /ready in .* RPC (http:\/\/127\.0\.0\.1:\d+), deployment (.+)\. Ctrl-C stops/.exec(line);
      if (ready) resolve({ child, lines, rpcUrl: ready[1]!, deploymentFile: ready[2]!, nodes });
    });
    child.stderr!.on('data', (d) => lines.push(String(d)));
    child.on('exit', (code) => reject(new Error(`devnet exited early (${code}):\n${lines.slice(-30).join('\n')}`)));
  });
}

/** Stops the devnet as Ctrl-C does (it stops its nodes), bounded; SIGKILL if it hangs. */
async function stopDevnet(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** MNIST's examples as a Data Vessel dataset dir (train and test together; the dataset holds 10 % out). */
async function writeMnistDataset(dir: string): Promise<void> {
  const data = await mnistTemplate.loadData();
  const features = new Float32Array(data.train.features.length + data.test.features.length);
  features.set(data.train.features);
  features.set(data.test.features, data.train.features.length);
  const labels = Int32Array.from([...data.train.labels, ...data.test.labels], (v) => Math.round(v));
  const classes = mnistTemplate.manifest.outputs[0]?.labels ?? Array.from({ length: 10 }, (_, i) => String(i));
  const imported = buildDataset(
    {
      rows: data.train.count + data.test.count,
      features,
      featureShape: data.train.featureShape,
      labels,
      labelShape: [1],
    },
    {
      name: 'mnist-examples',
      description: 'Handwritten digits (MNIST), 28×28 grey pixels scaled to [0, 1]',
      sourceKind: 'image-folder',
      task: 'classification',
      classes,
      normalization: { kind: 'scale', factor: 1 / 255 },
      preprocessing: { kind: 'image', width: 28, height: 28, channels: 1, resize: 'bilinear' },
    },
    { license: data.license, pricePerUseWei: aicToWei('2'), testFraction: 0.1, shuffleSeed: 1 },
  );
  await writeDatasetDir(dir, imported);
}

/** The data owner's node publishes MNIST's examples and the MLP manifest, as any member publishes its own. */
async function publishAssets(devnet: Devnet): Promise<{ datasetId: string; modelId: string }> {
  const owner = devnet.nodes.get('data-owner')!;
  const dir = await mkdtemp(join(owner.dataDir, 'import-'));
  await writeMnistDataset(dir);
  const token = (await readFile(join(owner.dataDir, 'node', 'api-token'), 'utf8')).trim();
  const api = createApiClient(owner.apiUrl, { token, timeoutMs: 120_000 });
  const dataset = await api.publishDataset({ body: { dir, pricePerUseAic: '2' } });
  const model = await api.publishModel({
    body: { manifest: JSON.stringify(mnistTemplate.manifest, null, 2), pricePerUseAic: '1' },
  });
  await rm(dir, { recursive: true, force: true });
  return { datasetId: dataset.datasetId, modelId: model.modelId };
}

/** Runs `aic` as a real process, stdin not a terminal (as in any script). */
function aic(args: string[]): Promise<AicRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [AIC_BIN, ...args], { timeout: JOB_TIMEOUT_MS }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

function expectOneLineError(run: AicRun, code: number, errorCode: string): void {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(new RegExp(`^${errorCode}: \\S`));
}

describe('aic job against a devnet with the job roles', () => {
  let dir: string;
  let devnet: Devnet | undefined;
  let submit: string[];
  let api: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aic-job-cli-'));
    devnet = await startDevnet(join(dir, 'devnet'));
    const { datasetId, modelId } = await publishAssets(devnet);
    const requester = devnet.nodes.get('requester')!;
    api = ['--api', requester.apiUrl, '--data-dir', requester.dataDir];
    submit = [...api, 'job', 'submit', '--dataset', datasetId, '--model', modelId];
    submit.push('--budget', '40', '--verifier-fee', '3', '--epochs', '1', '--backend', 'wasm');
  }, JOB_TIMEOUT_MS);

  afterAll(async () => {
    if (devnet) await stopDevnet(devnet.child);
    await rm(dir, { recursive: true, force: true });
  }, 30_000);

  it('shows the quote, then refuses to pay without --yes when stdin is not a terminal', async () => {
    const run = await aic(['--json', ...submit]);
    expectOneLineError(run, 2, 'CLI_CONFIRMATION_REQUIRED');
    const [first] = jsonLines(run.stdout);
    const quote = first?.quote as { totalWei: string; providerWei: string; segments: number };
    expect(BigInt(quote.providerWei)).toBe(aicToWei('40'));
    expect(BigInt(quote.totalWei)).toBeGreaterThan(BigInt(quote.providerWei));
    expect(quote.segments).toBeGreaterThan(0);
  });

  it(
    'submits, follows the job to Settled with a TrainedAI NFT, prints its logs and copies the result',
    async () => {
      const submitted = await aic(['--json', ...submit, '--yes']);
      expect(submitted.code, submitted.stderr).toBe(0);
      const [quoteLine, jobLine] = jsonLines(submitted.stdout);
      expect(quoteLine).toHaveProperty('quote');
      const jobId = String(jobLine?.jobId);
      expect(jobId).toMatch(/^[1-9][0-9]*$/);

      // Just escrowed: nothing to fetch yet.
      expectOneLineError(await aic([...api, 'job', 'result', jobId]), 1, 'JOB_NOT_SETTLED');

      const followed = await aic(['--json', ...api, 'job', 'status', jobId, '--follow', '--timeout', '240']);
      const context = `${followed.stderr}\n${devnet?.lines.slice(-40).join('\n')}`;
      expect(followed.code, context).toBe(0);
      const statuses = jsonLines(followed.stdout);
      const last = statuses.at(-1);
      expect(last?.state, context).toBe('Settled');
      expect(String(last?.trainedAssetId)).toMatch(/^[1-9][0-9]*$/);
      // Live progress: a line per change (at least the verdict and the mint), steps in order, ending at the last step.
      expect(statuses.length).toBeGreaterThan(1);
      const steps = statuses.map((s) => s.step).filter((s): s is number => typeof s === 'number');
      expect(steps).toEqual([...steps].sort((a, b) => a - b));
      expect(steps.at(-1)).toBe(last?.totalSteps);

      const logs = await aic(['--json', ...api, 'job', 'logs', jobId]);
      expect(logs.code, logs.stderr).toBe(0);
      const lines = jsonLines(logs.stdout);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.at(-1)).toMatchObject({ step: expect.any(Number), totalSteps: expect.any(Number) });
      const plainLogs = await aic([...api, 'job', 'logs', jobId]);
      expect(plainLogs.stdout).toMatch(/step \d+\/\d+ {2}loss \d/);

      const plainStatus = await aic([...api, 'job', 'status', jobId]);
      expect(plainStatus.stdout).toMatch(/state +Settled/);
      expect(plainStatus.stdout).toContain(`trained AI    #${String(last?.trainedAssetId)}`);

      const out = join(dir, 'trained.bin');
      const result = await aic(['--json', ...api, 'job', 'result', jobId, '--out', out]);
      expect(result.code, result.stderr).toBe(0);
      const [copied] = jsonLines(result.stdout);
      expect(copied).toMatchObject({ jobId, trainedAssetId: last?.trainedAssetId, out });
      expect((await stat(out)).size).toBeGreaterThan(0);
      expect(copied?.bytes).toBe((await stat(out)).size);
    },
    JOB_TIMEOUT_MS,
  );
});
