import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AicError } from '@aic/core';
import { type Checkpoint, checkpointFromFiles, checkpointToFiles } from './checkpoint.ts';

const base = (step: number) => `checkpoint-${String(step).padStart(9, '0')}`;

/** Writes `checkpoint-<step>.json` and `.safetensors` into `dir`. */
export async function saveCheckpoint(dir: string, checkpoint: Checkpoint): Promise<void> {
  await saveCheckpointFiles(dir, checkpoint.step, checkpointToFiles(checkpoint));
}

/** Writes a checkpoint's two files as they are (a mirror that already holds them skips re-serializing). The JSON
 * last: a listed checkpoint always has its tensors. Each file is written under a temporary name and renamed, so a
 * process killed mid-write leaves no truncated checkpoint behind: a half-written JSON was listed as mirrored after a
 * restart and then failed every load (CHECKPOINT_FETCH_FAILED for every verifier, forever). */
export async function saveCheckpointFiles(
  dir: string,
  step: number,
  files: { readonly json: string; readonly tensors: Uint8Array },
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeAtomically(join(dir, `${base(step)}.safetensors`), files.tensors);
  await writeAtomically(join(dir, `${base(step)}.json`), files.json);
}

async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.partial`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}

/** The steps of the checkpoints saved in `dir`, ascending. */
export async function listCheckpoints(dir: string): Promise<number[]> {
  const names = await readdir(dir);
  return names
    .map((n) => /^checkpoint-(\d{9})\.json$/.exec(n)?.[1])
    .filter((s): s is string => s !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Loads the checkpoint of `step` (default: the latest) from `dir`. Throws RUNTIME_CHECKPOINT_NOT_FOUND. */
export async function loadCheckpoint(dir: string, step?: number): Promise<Checkpoint> {
  const steps = await listCheckpoints(dir);
  const chosen = step ?? steps[steps.length - 1];
  if (chosen === undefined || !steps.includes(chosen)) {
    throw new AicError('RUNTIME_CHECKPOINT_NOT_FOUND', `no checkpoint for step ${step ?? 'latest'} in ${dir}`);
  }
  const { json, tensors } = await loadCheckpointFiles(dir, chosen);
  return checkpointFromFiles(json, tensors);
}

/** The two files of the checkpoint of `step` as stored (unparsed: for serving them). Throws
 * RUNTIME_CHECKPOINT_NOT_FOUND. */
export async function loadCheckpointFiles(dir: string, step: number): Promise<{ json: string; tensors: Uint8Array }> {
  try {
    const [json, tensors] = await Promise.all([
      readFile(join(dir, `${base(step)}.json`), 'utf8'),
      readFile(join(dir, `${base(step)}.safetensors`)),
    ]);
    return { json, tensors: new Uint8Array(tensors.buffer, tensors.byteOffset, tensors.byteLength) };
  } catch (cause) {
    throw new AicError('RUNTIME_CHECKPOINT_NOT_FOUND', `no checkpoint for step ${step} in ${dir}`, { cause });
  }
}
