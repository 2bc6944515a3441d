/**
 * Done-when of the verification design (DESIGN.md §7): a provider faking 10 % of a job's segments is caught at the
 * quoted probability. One real job is trained by the worker process with the test-only fault (10 of 100 segments
 * skipped), and every segment is re-run once with the real verifier to get the per-segment outcome table; the
 * trials (each a different 256-bit seed, as a block hash would be) then sample segments exactly as
 * `checkCommittedJob` does and look the outcome up, since re-running 44 segments 2,000 times would take hours.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Checkpoint, irisTemplate, loadCheckpoint, type TensorDataset } from '@aic/model-vessel';
import { sampleSegments } from '@aic/verification';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkCommittedJob,
  checkSegment,
  exactDetectionProbability,
  findDivergentSegment,
  pickReferees,
  refereeVerdict,
  type SegmentCheckInput,
  samplesFor,
  segmentRecompute,
} from '../../src/verify/index.ts';
import { fakedSegments, runTrainingWorker, type TrainingWorkerResult } from '../../src/worker/index.ts';
import { writeDatasetFile } from '../helpers/dataset-file.ts';

// Iris, 25 epochs of 8 steps, a commitment every 2 steps: 200 steps, 100 segments of 2 steps.
const spec = {
  manifest: irisTemplate.manifest,
  backend: 'cpu' as const,
  seed: 11,
  commitEverySteps: 2,
  hyperparameters: { epochs: 25 },
};
const SEGMENTS = 100;
const CHEAT_FRACTION = 0.1;
const FAULT = { fakeSegmentFraction: CHEAT_FRACTION, seed: 7 };
const TRIALS = 2_000;
const JOB_KEY = 'job-faker-statistics';

const trialSeed = (trial: number) => BigInt(`0x${createHash('sha256').update(`block-${trial}`).digest('hex')}`);

interface Run {
  readonly result: TrainingWorkerResult;
  readonly input: SegmentCheckInput;
  /** table[i]: re-running segment i from the provider's checkpoint i reproduced c_{i+1}. */
  readonly table: boolean[];
}

const dirs: string[] = [];
let data: TensorDataset;
let faker: Run;
let honest: Run;
const timings: Record<string, number> = {};

async function trainAndCheckEverySegment(fault: typeof FAULT | undefined): Promise<Run> {
  const dir = await mkdtemp(join(tmpdir(), 'aic-faker-'));
  dirs.push(dir);
  const started = performance.now();
  const result = await runTrainingWorker({
    spec,
    dataset: { file: await writeDatasetFile(data, join(dir, 'iris-train.safetensors')) },
    checkpointDir: dir,
    memoryMiB: 512,
    timeoutMs: 120_000,
    ...(fault ? { fault } : {}),
  });
  timings[fault ? 'fakerTrainMs' : 'honestTrainMs'] = Math.round(performance.now() - started);
  const checkpoints: Checkpoint[] = [];
  for (const c of result.commitments) checkpoints.push(await loadCheckpoint(dir, c.step));
  const input: SegmentCheckInput = {
    spec,
    data,
    commitments: result.commitments,
    loadCheckpoint: async (i) => checkpoints[i] as Checkpoint,
  };
  const checkStarted = performance.now();
  const table: boolean[] = [];
  for (let i = 0; i < SEGMENTS; i++) table.push(await checkSegment(input, i));
  timings[fault ? 'fakerTableMs' : 'honestTableMs'] = Math.round(performance.now() - checkStarted);
  return { result, input, table };
}

/** The fraction of trials in which at least one sampled segment fails its re-run. */
function catchRate(table: readonly boolean[], samples: number): number {
  let caught = 0;
  for (let trial = 0; trial < TRIALS; trial++) {
    const picked = sampleSegments(trialSeed(trial), JOB_KEY, SEGMENTS, samples);
    if (picked.some((i) => !table[i])) caught++;
  }
  return caught / TRIALS;
}

const sigma = (p: number) => Math.sqrt((p * (1 - p)) / TRIALS);

beforeAll(async () => {
  data = (await irisTemplate.loadData()).train;
  faker = await trainAndCheckEverySegment(FAULT);
  honest = await trainAndCheckEverySegment(undefined);
}, 170_000);

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('a provider faking 10 % of its segments', () => {
  const faked = fakedSegments(SEGMENTS, CHEAT_FRACTION, FAULT.seed);

  it('commits to a job of 100 segments, and the verifier’s re-runs fail exactly the faked ones', () => {
    expect(faker.result.commitments).toHaveLength(SEGMENTS + 1);
    expect(faked).toHaveLength(10);
    const failing = faker.table.flatMap((ok, i) => (ok ? [] : [i]));
    expect(failing).toEqual(faked);
    expect(honest.table.every(Boolean)).toBe(true);
    expect(faker.result.commitmentRoot).not.toBe(honest.result.commitmentRoot);
  });

  for (const confidence of [0.99, 0.5]) {
    it(`is caught at the quoted probability for confidence ${confidence} over ${TRIALS} trials`, () => {
      const quote = samplesFor({ segments: SEGMENTS, confidence, cheatFraction: CHEAT_FRACTION });
      const exact = exactDetectionProbability(SEGMENTS, faked.length, quote.samples);
      const observed = catchRate(faker.table, quote.samples);
      console.info(
        JSON.stringify({ confidence, samples: quote.samples, quoted: quote.pDetect, exact, observed, trials: TRIALS }),
      );
      expect(exact).toBeGreaterThanOrEqual(quote.pDetect);
      expect(observed).toBeGreaterThanOrEqual(quote.pDetect - 3 * sigma(quote.pDetect));
      expect(Math.abs(observed - exact)).toBeLessThanOrEqual(3 * sigma(exact) + 1 / TRIALS);
      expect(catchRate(honest.table, quote.samples)).toBe(0); // an honest provider is never flagged
    });
  }

  it('is flagged by the real checkCommittedJob on the sampled segments the table predicts', async () => {
    const samples = samplesFor({ segments: SEGMENTS, confidence: 0.5, cheatFraction: CHEAT_FRACTION }).samples;
    for (const trial of [0, 1, 2, 3, 4]) {
      const seed = trialSeed(trial);
      // the seed as the block hash's bytes or as a number samples the same segments
      const seedBytes = Buffer.from(seed.toString(16).padStart(64, '0'), 'hex');
      const verdict = await checkCommittedJob({
        ...faker.input,
        seed: trial % 2 ? seed : new Uint8Array(seedBytes),
        jobKey: JOB_KEY,
        samples,
      });
      expect(verdict.checked).toEqual(sampleSegments(seed, JOB_KEY, SEGMENTS, samples));
      expect(verdict.mismatches).toEqual(verdict.checked.filter((i) => !faker.table[i]));
      expect(verdict.valid).toBe(verdict.mismatches.length === 0);
      expect(verdict.initialStateValid).toBe(true);
    }
    const clean = await checkCommittedJob({
      ...honest.input,
      seed: trialSeed(0),
      jobKey: JOB_KEY,
      samples,
      commitmentRoot: honest.result.commitmentRoot,
    });
    expect(clean).toMatchObject({ valid: true, mismatches: [] });
    const swapped = {
      ...faker.input,
      seed: 1n,
      jobKey: JOB_KEY,
      samples,
      commitmentRoot: honest.result.commitmentRoot,
    };
    await expect(checkCommittedJob(swapped)).rejects.toMatchObject({ code: 'VERIFY_ROOT_MISMATCH' });
  });

  it('loses the dispute: bisection lands on a faked segment and the referee committee votes unanimously', async () => {
    const disputed = faked.at(-1) as number;
    const found = await findDivergentSegment({
      commitments: faker.result.commitments,
      recompute: segmentRecompute(faker.input),
      hi: disputed + 1,
    });
    expect(faked).toContain(found.segment);
    expect(found.probes.length).toBeLessThanOrEqual(Math.ceil(Math.log2(disputed + 1)) + 2);

    const committee = pickReferees(trialSeed(9), `${JOB_KEY}:${faked[0]}`, ['r1', 'r2', 'r3', 'r4', 'r5'], 3);
    const reproduces = (_referee: string, segment: number) => checkSegment(faker.input, segment);
    const verdict = await refereeVerdict({ segment: faked[0] as number, committee, reproduces });
    expect(verdict.providerCheated).toBe(true);
    expect(verdict.votes.map((v) => v.reproduced)).toEqual([false, false, false]);
    const honestVerdict = await refereeVerdict({
      segment: faked[0] as number,
      committee,
      reproduces: (_r, segment) => checkSegment(honest.input, segment),
    });
    expect(honestVerdict.providerCheated).toBe(false);
    console.info(JSON.stringify({ ...timings, bisectionProbes: found.probes.length }));
  });
});
