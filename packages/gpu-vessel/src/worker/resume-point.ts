/**
 * Where a restarted worker picks up: the latest checkpoint in its directory that belongs to this job and hashes to
 * its own commitment. A worker killed while writing leaves a torn file; older checkpoints are tried in turn.
 */
import { readFile } from 'node:fs/promises';
import { AicError } from '@aic/core';
import {
  type Checkpoint,
  checkpointFromFiles,
  commitmentOfCheckpoint,
  listCheckpoints,
  loadCheckpoint,
} from '@aic/model-vessel';

const isOwnCheckpoint = (c: Checkpoint, jobDigest: string) =>
  c.jobDigest === jobDigest && c.commitments.at(-1)?.hash === commitmentOfCheckpoint(c);

/** The latest usable checkpoint of `jobDigest` in `dir`, or undefined (no directory, none saved, none usable). */
export async function latestCheckpointOf(dir: string, jobDigest: string): Promise<Checkpoint | undefined> {
  const steps = await listCheckpoints(dir).catch(() => [] as number[]);
  for (const step of steps.reverse()) {
    const checkpoint = await loadCheckpoint(dir, step).catch(() => undefined);
    if (checkpoint && isOwnCheckpoint(checkpoint, jobDigest)) return checkpoint;
  }
  return undefined;
}

/**
 * A checkpoint handed over by another provider (after preemption): untrusted, so it must parse, belong to this job
 * and hash to its own last commitment.
 */
export async function handedOverCheckpoint(
  files: { json: string; safetensors: string },
  jobDigest: string,
): Promise<Checkpoint> {
  const [json, tensors] = await Promise.all([readFile(files.json, 'utf8'), readFile(files.safetensors)]);
  const checkpoint = checkpointFromFiles(json, new Uint8Array(tensors.buffer, tensors.byteOffset, tensors.byteLength));
  if (checkpoint.jobDigest !== jobDigest) {
    throw new AicError('RUNTIME_CHECKPOINT_MISMATCH', 'the handed-over checkpoint belongs to a different job', {
      details: { checkpointJob: checkpoint.jobDigest, job: jobDigest },
    });
  }
  if (!isOwnCheckpoint(checkpoint, jobDigest)) {
    throw new AicError('VERIFY_CHECKPOINT_MISMATCH', 'the handed-over checkpoint does not hash to its commitment', {
      details: { step: checkpoint.step },
    });
  }
  return checkpoint;
}
