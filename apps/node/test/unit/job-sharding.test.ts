import { describe, expect, it } from 'vitest';
import { submissionOf } from '../../src/jobs/job-handlers.ts';
import { jobSubmitBodySchema } from '../../src/jobs/job-schemas.ts';

const body = (extra: Record<string, unknown>) =>
  jobSubmitBodySchema.parse({ datasetId: '1', modelId: '2', budgetAic: '10', ...extra });

describe('MSMG job requests (issue 16)', () => {
  it('shards a job asking for N workers into N microbatches per step, or the M it names', () => {
    expect(submissionOf(body({ workers: 3 })).spec.microbatches).toBe(3);
    expect(submissionOf(body({ workers: 2, microbatches: 8 })).spec.microbatches).toBe(8);
  });

  it('leaves a one-worker job unsharded (its commitments as before)', () => {
    expect('microbatches' in submissionOf(body({})).spec).toBe(false);
    expect(submissionOf(body({})).hardware).toBeUndefined();
  });

  it('asks for a group of N providers in the ticket (hardware.spread), keeping the per-machine needs', () => {
    const s = submissionOf(body({ workers: 2, hardware: { cpuCores: 2 } }));
    expect(s.hardware).toEqual({ cpuCores: 2, spread: { machines: 2, maxRttMs: 1_000_000 } });
    expect(submissionOf(body({ workers: 3 })).hardware?.spread?.machines).toBe(3);
  });

  it('refuses fewer microbatches than workers', () => {
    expect(() => submissionOf(body({ workers: 4, microbatches: 2 }))).toThrow(
      expect.objectContaining({ code: 'JOB_REQUEST_INVALID' }),
    );
    expect(jobSubmitBodySchema.safeParse({ datasetId: '1', modelId: '2', budgetAic: '1', workers: 0 }).success).toBe(
      false,
    );
  });
});
