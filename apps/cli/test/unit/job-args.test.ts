import { describe, expect, it } from 'vitest';
import {
  confirmPayment,
  describeQuote,
  isJobDone,
  type JobQuote,
  type JobStatus,
  logLine,
  statusLine,
  submitBodyOf,
} from '../../src/commands/job.ts';
import { runCli } from '../../src/program.ts';
import { captureIo } from '../helpers/capture-io.ts';

// Nothing listens here: a command that got past argument checking would fail with API_UNREACHABLE instead.
const api = ['--api', 'http://127.0.0.1:9'];
const submit = ['job', 'submit', '--dataset', '1', '--model', '2'];

async function usageError(argv: string[]): Promise<string> {
  const { io, err, out } = captureIo();
  expect(await runCli([...api, ...argv], io)).toBe(2);
  expect(out()).toBe('');
  const lines = err().trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^CLI_INVALID_ARGUMENT: \S/);
  return lines[0] ?? '';
}

describe('aic job: argument checking', () => {
  it('refuses a missing --dataset with one usage line', async () => {
    expect(await usageError(['job', 'submit', '--model', '2', '--budget', '40'])).toContain('--dataset');
  });

  it.each([['abc'], ['-1'], ['0'], ['1.2.3'], ['1e3']])('refuses --budget %s', async (budget) => {
    expect(await usageError([...submit, `--budget=${budget}`])).toContain('--budget');
  });

  it('accepts --dataset and --model (then fails to reach the node, exit 1)', async () => {
    const { io, err } = captureIo({ AIC_API_TOKEN: 'x'.repeat(43) });
    const argv = [
      ...api,
      'job',
      'submit',
      '--dataset',
      '1',
      '--model',
      '2',
      '--budget',
      '2',
      '--hyperparameter',
      'dropout=0.1',
      '--yes',
    ];
    expect(await runCli(argv, io)).toBe(1);
    expect(err()).toMatch(/^API_UNREACHABLE: /);
  });

  it('refuses a malformed --hyperparameter', async () => {
    expect(await usageError([...submit, '--budget', '1', '--hyperparameter', 'no-equals'])).toContain(
      '--hyperparameter',
    );
  });

  it('refuses the removed --template (one path: the NFTs by id) and an unknown backend', async () => {
    expect(
      await usageError(['job', 'submit', '--template', 'mnist', '--dataset', '1', '--model', '2', '--budget', '1']),
    ).toContain('--template');
    expect(await usageError([...submit, '--budget', '1', '--backend', 'tensorflow'])).toContain('tensorflow');
  });

  it.each([
    ['--confidence', '1.5'],
    ['--min-hw-class', '5'],
    ['--epochs', '0'],
    ['--learning-rate', '-1'],
  ])('refuses %s %s', async (flag, value) => {
    expect(await usageError([...submit, '--budget', '1', flag, value])).toContain(flag);
  });

  it.each([['status'], ['logs'], ['result']])('refuses a bad job id for job %s', async (sub) => {
    expect(await usageError(['job', sub, 'not-a-job'])).toContain('not-a-job');
  });

  it('passes valid flags through to the node (then fails to reach it, exit 1)', async () => {
    const { io, err } = captureIo({ AIC_API_TOKEN: 'x'.repeat(43) });
    expect(await runCli([...api, ...submit, '--budget', '2.5', '--yes'], io)).toBe(1);
    expect(err()).toMatch(/^API_UNREACHABLE: /);
  });

  it("names the node's API token file when a write has no token", async () => {
    const { io, err } = captureIo();
    const argv = ['--data-dir', '/nonexistent-aic', ...api, ...submit, '--budget', '2.5', '--yes'];
    expect(await runCli(argv, io)).toBe(1);
    expect(err()).toMatch(/^API_TOKEN_UNREADABLE: .*\/nonexistent-aic\/node\/api-token/);
  });
});

const quote: JobQuote = {
  totalWei: '46500000000000000000',
  providerWei: '40000000000000000000',
  protocolFeeWei: '500000000000000000',
  datasetFeeWei: '2000000000000000000',
  modelFeeWei: '1000000000000000000',
  verifierFeeWei: '3000000000000000000',
  segments: 19,
  totalSteps: 469,
  samples: 7,
  pDetect: 0.9912,
  overhead: 0.368,
  verification: { mode: 'exact' },
};

describe('aic job: request body and rendering', () => {
  it('leaves unset flags out so the node defaults apply, and converts minutes to seconds', () => {
    const base = { dataset: '3', model: '4', budget: '40', timeout: 1800 };
    const key = { idempotencyKey: 'k-1' };
    expect(submitBodyOf({ ...base, ...key })).toEqual({
      datasetId: '3',
      modelId: '4',
      budgetAic: '40',
      idempotencyKey: 'k-1',
    });
    expect(submitBodyOf({ ...base, ...key, epochs: 1, backend: 'wasm', deadlineMinutes: 2, verifierFee: '3' })).toEqual(
      {
        datasetId: '3',
        modelId: '4',
        budgetAic: '40',
        idempotencyKey: 'k-1',
        epochs: 1,
        backend: 'wasm',
        deadlineSec: 120,
        verifierFeeAic: '3',
      },
    );
  });

  it('names the NFTs alone (the model manifest trains on the dataset), with hyperparameters', () => {
    const body = submitBodyOf({
      dataset: '3',
      model: '4',
      budget: '40',
      timeout: 1800,
      hyperparameter: { dropout: 0.2 },
    });
    expect(body).toMatchObject({ datasetId: '3', modelId: '4', budgetAic: '40', hyperparameters: { dropout: 0.2 } });
    expect(body).not.toHaveProperty('template');
  });

  it('gives every run its own idempotency key unless one is passed', () => {
    const base = { dataset: '3', model: '4', budget: '40', timeout: 1800 };
    const a = submitBodyOf(base).idempotencyKey;
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(submitBodyOf(base).idempotencyKey).not.toBe(a);
  });

  it('shows every part of the quote in AIC', () => {
    const text = describeQuote(quote);
    for (const part of [
      '46.5 AIC',
      '40 AIC',
      '0.5 AIC',
      '2 AIC',
      '1 AIC',
      '3 AIC',
      '19 (469 steps)',
      '7 segments',
      '0.9912',
      '36.8 %',
    ]) {
      expect(text).toContain(part);
    }
  });

  it("states a webgpu job's tolerant bound and verification backends in the quote, and takes --backend webgpu", () => {
    const tolerant = {
      ...quote,
      verification: {
        mode: 'tolerant' as const,
        maxRelativeL2: 0.001,
        verifyBackends: ['webgpu' as const, 'cpu' as const],
      },
    };
    expect(describeQuote(tolerant)).toContain(
      'tolerant: a re-run segment is accepted within relative L2 0.001 (re-run on webgpu or cpu)',
    );
    expect(describeQuote(quote)).toContain('exact');
    const base = { dataset: '3', model: '4', budget: '40', timeout: 1800 };
    expect(submitBodyOf({ ...base, backend: 'webgpu' })).toMatchObject({ backend: 'webgpu' });
  });

  const running: JobStatus = {
    jobId: '7',
    state: 'Running',
    provider: '0x00000000000000000000000000000000000000aa',
    verifier: '0x0000000000000000000000000000000000000000',
    resumeFrom: 0,
    checkpointCount: 2,
    step: 50,
    totalSteps: 200,
    loss: 0.5,
    accuracy: 0.75,
    commitments: 2,
  };

  it('renders a follow line with progress and leaves out the unassigned verifier', () => {
    const line = statusLine(running, Date.UTC(2026, 0, 1, 12, 3, 4, 5));
    expect(line).toBe(
      '12:03:04.005  #7  Running  step 50/200 (25.0 %)  loss 0.5000  accuracy 0.750  provider 0x00000000000000000000000000000000000000aa  commitments 2',
    );
  });

  it('renders a log line with its checkpoint', () => {
    const line = logLine({ atMs: 0, step: 25, totalSteps: 200, loss: 1.25, provider: '0xab', checkpoint: 1 });
    expect(line).toBe('00:00:00.000  step 25/200  loss 1.2500  provider 0xab  checkpoint 1');
  });

  it('is done only once settled with a TrainedAI id, or failed', () => {
    expect(isJobDone(running)).toBe(false);
    expect(isJobDone({ ...running, state: 'Settled' })).toBe(false);
    expect(isJobDone({ ...running, state: 'Settled', trainedAssetId: '9' })).toBe(true);
    expect(isJobDone({ ...running, state: 'Slashed' })).toBe(true);
    expect(isJobDone({ ...running, state: 'Settled', resultError: 'JOB_RESULT_MISMATCH: …' })).toBe(true);
  });
});

describe('aic job submit: confirmation before paying', () => {
  const terminal = (answer: string) => {
    const captured = captureIo({}, answer);
    Object.assign(captured.io.stdin, { isTTY: true });
    return captured;
  };

  it('asks on a terminal and goes on after "y"', async () => {
    const { io, err } = terminal('y\n');
    await expect(confirmPayment(io, quote)).resolves.toBeUndefined();
    expect(err()).toContain('Pay 46.5 AIC and submit the job? [y/N]');
  });

  it('cancels on any other answer', async () => {
    await expect(confirmPayment(terminal('\n').io, quote)).rejects.toMatchObject({ code: 'CLI_CANCELLED' });
  });

  it('refuses without a terminal, naming --yes', async () => {
    await expect(confirmPayment(captureIo().io, quote)).rejects.toMatchObject({
      code: 'CLI_CONFIRMATION_REQUIRED',
      message: expect.stringContaining('--yes'),
    });
  });
});

describe('job submit hardware flags', () => {
  const base = { dataset: '1', model: '2', budget: '5', timeout: 60 };
  it('become the API body hardware requirement; none given, none sent', () => {
    expect(submitBodyOf(base).hardware).toBeUndefined();
    expect(
      submitBodyOf({ ...base, gpuModel: ['H100', 'A100-80G'], gpus: 2, gpuMem: 40, cpus: 4, mem: 16 }).hardware,
    ).toEqual({ gpus: 2, gpuModels: ['H100', 'A100-80G'], minGpuMemoryGiB: 40, cpuCores: 4, memoryGiB: 16 });
    expect(submitBodyOf({ ...base, gpuFraction: 0.25 }).hardware).toEqual({ gpus: 0.25 });
    expect(submitBodyOf({ ...base, gpuModel: ['T4'] }).hardware).toEqual({ gpus: 1, gpuModels: ['T4'] });
    expect(submitBodyOf({ ...base, cpus: 2 }).hardware).toEqual({ cpuCores: 2 });
    expect(() => submitBodyOf({ ...base, gpus: 2, gpuFraction: 0.5 })).toThrow(/not both/);
  });
});

describe('aic job submit --workers (MSMG, issue 16)', () => {
  it('puts workers and microbatches in the API body', () => {
    const body = submitBodyOf({ dataset: '1', model: '2', budget: '10', workers: 3, microbatches: 6, timeout: 60 });
    expect(body).toMatchObject({ workers: 3, microbatches: 6 });
  });

  it('refuses --workers 0', async () => {
    expect(await usageError([...submit, '--budget', '10', '--workers', '0'])).toContain('--workers');
  });
});
