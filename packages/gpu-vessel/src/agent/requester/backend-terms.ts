/**
 * What a job's backend adds to its terms (issue 16). A webgpu job runs only on a provider whose offer lists webgpu
 * (it has a WebGPU adapter), so its hardware requirement names the backend: the requester refuses it before any escrow
 * when no offered machine runs it (ALLOCATOR_REQUIREMENT_UNSATISFIABLE, "no offer runs the webgpu backend") and the
 * coordinator's allocator places it only there. It is verified in tolerant mode: the ticket carries the bound and the
 * verification backends (the preset's unless the submission names them) and the quote states them.
 */
import type { HardwareRequirement } from '@aic/allocator';
import { type JobSpec, toleranceOf } from '@aic/model-vessel';
import type { JobQuote, JobSubmission } from './types.ts';

/** The submission's hardware requirement, with the backend added for a backend offers must list (webgpu). */
export function hardwareFor(input: Pick<JobSubmission, 'spec' | 'hardware'>): HardwareRequirement | undefined {
  if (input.spec.backend !== 'webgpu') return input.hardware;
  return { ...input.hardware, backend: 'webgpu' };
}

/** The spec as the ticket carries it: a webgpu job's tolerance written out, so the bound is what is paid for. */
export function withVerificationTerms<S extends Pick<JobSpec, 'backend' | 'tolerance'>>(spec: S): S {
  const tolerance = toleranceOf(spec);
  return tolerance ? { ...spec, tolerance } : spec;
}

/** How the job will be verified, as the quote states it. */
export function verificationOf(spec: Pick<JobSpec, 'backend' | 'tolerance'>): JobQuote['verification'] {
  const tolerance = toleranceOf(spec);
  if (!tolerance) return { mode: 'exact' };
  return { mode: 'tolerant', maxRelativeL2: tolerance.maxRelativeL2, verifyBackends: [...tolerance.verifyBackends] };
}
