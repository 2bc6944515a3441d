import { isAicError } from '@aic/core';
import { describe, expect, it } from 'vitest';
import { resolveJob, resolveJobShape } from '../../src/runtime/job.ts';
import { irisTemplate } from '../../src/templates/iris.ts';

const spec = { manifest: irisTemplate.manifest, backend: 'cpu' as const, seed: 1, commitEverySteps: 10 };
const irisShape = { featureShape: [4], labelShape: [], count: 120, task: 'classification' as const, classCount: 3 };

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isAicError(error) ? error.code : 'not an AicError';
  }
  return undefined;
}

describe('resolveJobShape (a job from the dataset manifest, without the data)', () => {
  it('gives the same steps and settings as resolving over the real data', async () => {
    const data = (await irisTemplate.loadData()).train;
    const full = resolveJob(spec, data);
    const shape = resolveJobShape(spec, { ...irisShape, count: data.count });
    expect(shape.totalSteps).toBe(full.totalSteps);
    expect(shape.settings).toEqual(full.settings);
    expect(shape.hyperparameters).toEqual(full.hyperparameters);
    expect('jobDigest' in shape).toBe(false);
  });

  it('counts steps from the train rows and the epochs override', () => {
    const resolved = resolveJobShape({ ...spec, hyperparameters: { epochs: 2, batchSize: 10 } }, irisShape);
    expect(resolved.totalSteps).toBe(24);
  });

  it('refuses features of another width (JOB_SCHEMA_MISMATCH)', () => {
    expect(codeOf(() => resolveJobShape(spec, { ...irisShape, featureShape: [5] }))).toBe('JOB_SCHEMA_MISMATCH');
  });

  it('refuses a dataset with more classes than the model outputs', () => {
    expect(codeOf(() => resolveJobShape(spec, { ...irisShape, classCount: 4 }))).toBe('JOB_SCHEMA_MISMATCH');
  });

  it('refuses a regression dataset for a classifier', () => {
    const regression = { ...irisShape, task: 'regression' as const };
    expect(codeOf(() => resolveJobShape(spec, regression))).toBe('JOB_SCHEMA_MISMATCH');
  });

  it('refuses multi-value labels for class-id training', () => {
    expect(codeOf(() => resolveJobShape(spec, { ...irisShape, labelShape: [3] }))).toBe('JOB_SCHEMA_MISMATCH');
  });

  it('checks only the features when the task is not known', () => {
    const { task: _task, classCount: _classes, ...shapeOnly } = irisShape;
    expect(resolveJobShape(spec, { ...shapeOnly, labelShape: [7] }).totalSteps).toBeGreaterThan(0);
  });
});
