/**
 * Segment arithmetic of a job: segment i runs from commitment c_i to c_{i+1}. The runtime commits at step 0, every K
 * steps and at the last step, so the commitment steps are known before training starts.
 */

/** The steps of c_0 … c_n: 0, K, 2K, … and the last step. */
export function commitmentSteps(totalSteps: number, commitEverySteps: number): number[] {
  const steps: number[] = [];
  for (let s = 0; s < totalSteps; s += commitEverySteps) steps.push(s);
  steps.push(totalSteps);
  return steps;
}

/** The number of segments (commitments − 1) of a job. */
export const segmentCount = (totalSteps: number, commitEverySteps: number): number =>
  Math.ceil(totalSteps / commitEverySteps);
