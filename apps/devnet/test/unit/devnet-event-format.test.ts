import { describe, expect, it } from 'vitest';
import { formatDevnetEvent } from '../../src/nodes-events.ts';

describe('devnet activity lines', () => {
  it("always show a retried step's error (code and message), however many other fields come first", () => {
    const line = formatDevnetEvent({
      type: 'activity',
      index: 5,
      role: 'verifier',
      level: 'warn',
      message: 'checkpoint fetch failed; retrying',
      fields: {
        jobId: '2',
        attempt: 3,
        delayMs: 4000,
        index: 7,
        err: {
          type: 'AicError',
          code: 'CHECKPOINT_FETCH_FAILED',
          message: 'checkpoint 3 of job 2 could not be fetched',
        },
      },
    });
    expect(line).toContain('err=CHECKPOINT_FETCH_FAILED checkpoint 3 of job 2 could not be fetched');
    expect(line).toContain('jobId=2');
  });

  it('bounds a long error message', () => {
    const line = formatDevnetEvent({
      type: 'activity',
      index: 0,
      role: 'requester',
      level: 'error',
      message: 'settlement failed',
      fields: { err: { message: 'x'.repeat(5_000) } },
    });
    expect(line.length).toBeLessThan(400);
  });
});
