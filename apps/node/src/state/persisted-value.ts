import { basename } from 'node:path';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { NodeMetrics } from '../metrics.ts';
import { readJsonFile, writeFileAtomic } from './atomic-file.ts';

/** One JSON state file held in memory and written through atomically. */
export interface PersistedValue<T> {
  get(): T;
  /** Replaces the value; the promise settles once a write containing it is on disk. */
  set(value: T): Promise<void>;
  /** Waits for any pending write. */
  flush(): Promise<void>;
}

export interface PersistedValueInit<S extends z.ZodType> {
  path: string;
  schema: S;
  initial: z.output<S>;
}

/**
 * Loads a state file (the initial value when absent) and returns a write-through holder. Writes are serialized and
 * coalesced: many quick `set`s cost at most two writes, and each caller still waits for its own version.
 */
export async function loadPersistedValue<S extends z.ZodType>(
  init: PersistedValueInit<S>,
  components: { logger: Logger; metrics: NodeMetrics },
): Promise<PersistedValue<z.output<S>>> {
  const file = basename(init.path);
  let value = (await readJsonFile(init.path, init.schema)) ?? init.initial;
  let version = 0;
  let writtenVersion = 0;
  let writing: Promise<void> | undefined;

  const writeLatest = async (): Promise<void> => {
    while (writtenVersion < version) {
      const target = version;
      const stop = components.metrics.stateWriteDurationSeconds.startTimer();
      await writeFileAtomic(init.path, JSON.stringify(value));
      stop();
      components.metrics.stateWritesTotal.inc({ file });
      writtenVersion = target;
    }
  };
  const ensureWriting = (): Promise<void> => {
    writing ??= writeLatest().finally(() => {
      writing = undefined;
    });
    return writing;
  };
  const waitFor = async (target: number): Promise<void> => {
    while (writtenVersion < target) await ensureWriting();
  };

  return {
    get: () => value,
    set(next) {
      value = next;
      version += 1;
      const target = version;
      return waitFor(target).catch((error: unknown) => {
        components.logger.error({ err: error, file }, 'state write failed');
        throw error;
      });
    },
    flush: () => waitFor(version),
  };
}
