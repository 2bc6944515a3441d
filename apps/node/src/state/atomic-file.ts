import { open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AicError } from '@aic/core';
import type { z } from 'zod';

/**
 * Writes a file so that a crash leaves either the old or the new content, never a torn one:
 * write a temp file in the same folder, fsync it, rename over the target, fsync the folder.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const file = await open(tmp, 'w', mode);
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await rename(tmp, path);
  } catch (cause) {
    await unlink(tmp).catch(() => undefined);
    throw new AicError('STATE_WRITE_FAILED', `cannot replace ${path}`, { cause });
  }
  await syncDirectory(dirname(path));
}

/**
 * Deletes temp files a crash left behind in `dir` (a write killed before its rename). Call before the first write;
 * one process owns a data directory, so none of them can belong to a live write.
 */
export async function removeStaleTempFiles(dir: string): Promise<number> {
  const stale = (await readdir(dir)).filter((name) => name.endsWith('.tmp'));
  await Promise.all(stale.map((name) => unlink(join(dir, name)).catch(() => undefined)));
  return stale.length;
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    await handle.close();
  }
}

/** Reads and validates a JSON file; undefined when it does not exist. Throws STATE_FILE_INVALID when corrupt. */
export async function readJsonFile<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AicError('STATE_READ_FAILED', `cannot read ${path}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new AicError('STATE_FILE_INVALID', `${path} is not valid JSON`, { cause, details: { path } });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new AicError('STATE_FILE_INVALID', `${path} does not match its schema`, {
      details: { path, issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) },
    });
  }
  return parsed.data;
}
