/** Checkpoint files on disk: written under temporary names and renamed, so a process killed mid-write leaves no
 * truncated checkpoint that is listed (a listed one that fails to load was served as "failed" to every verifier). */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listCheckpoints, loadCheckpointFiles, saveCheckpointFiles } from '../../src/runtime/checkpoint-files.ts';

describe('checkpoint files', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('leaves only the two final files, and a write cut short (a partial file) is never listed', async () => {
    dir = await mkdtemp(join(tmpdir(), 'aic-ckpt-'));
    await saveCheckpointFiles(dir, 3, { json: '{"step":3}', tensors: Uint8Array.of(1, 2, 3) });
    expect((await readdir(dir)).sort()).toEqual(['checkpoint-000000003.json', 'checkpoint-000000003.safetensors']);
    // What a kill during the next checkpoint's JSON write leaves behind.
    await writeFile(join(dir, 'checkpoint-000000004.safetensors'), Uint8Array.of(9));
    await writeFile(join(dir, 'checkpoint-000000004.json.4242.partial'), '{"st');
    expect(await listCheckpoints(dir)).toEqual([3]);
    const files = await loadCheckpointFiles(dir, 3);
    expect(files.json).toBe('{"step":3}');
    expect([...files.tensors]).toEqual([1, 2, 3]);
  });
});
