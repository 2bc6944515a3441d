import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAicError } from '@aic/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRootLogger } from '../../src/logger.ts';
import { createNodeMetrics } from '../../src/metrics.ts';
import { readJsonFile, removeStaleTempFiles, writeFileAtomic } from '../../src/state/atomic-file.ts';
import { type ItemPolicy, rememberPeer, unexpired, upsertBounded } from '../../src/state/node-state.ts';
import { loadPersistedValue } from '../../src/state/persisted-value.ts';

const components = {
  logger: createRootLogger({ level: 'silent' }),
  metrics: createNodeMetrics({ defaultMetrics: false }),
};
const counterSchema = z.object({ n: z.number() });

describe('state files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aic-state-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces a file atomically and leaves no temp files', async () => {
    const path = join(dir, 'a.json');
    await writeFileAtomic(path, '{"n":1}');
    await writeFileAtomic(path, '{"n":2}');
    expect(await readFile(path, 'utf8')).toBe('{"n":2}');
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('removes temp files left by a write that crashed before its rename', async () => {
    await writeFileAtomic(join(dir, 'offers.json'), '{}');
    await writeFile(join(dir, 'offers.json.123.456.tmp'), '{"half');
    expect(await removeStaleTempFiles(dir)).toBe(1);
    expect(await readdir(dir)).toEqual(['offers.json']);
  });

  it('reads undefined for a missing file and rejects a corrupt or mis-shaped one', async () => {
    expect(await readJsonFile(join(dir, 'none.json'), counterSchema)).toBeUndefined();
    await writeFile(join(dir, 'torn.json'), '{"n":');
    const torn = await readJsonFile(join(dir, 'torn.json'), counterSchema).catch((e: unknown) => e);
    expect(isAicError(torn, 'STATE_FILE_INVALID')).toBe(true);
    await writeFile(join(dir, 'shape.json'), '{"n":"one"}');
    const shape = await readJsonFile(join(dir, 'shape.json'), counterSchema).catch((e: unknown) => e);
    expect(isAicError(shape, 'STATE_FILE_INVALID')).toBe(true);
  });

  it('coalesces quick writes but has every caller wait for its own version', async () => {
    const path = join(dir, 'counter.json');
    const value = await loadPersistedValue({ path, schema: counterSchema, initial: { n: 0 } }, components);
    const before = (await components.metrics.stateWritesTotal.get()).values[0]?.value ?? 0;
    await Promise.all(Array.from({ length: 50 }, (_, i) => value.set({ n: i + 1 })));
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ n: 50 });
    const writes = ((await components.metrics.stateWritesTotal.get()).values[0]?.value ?? 0) - before;
    expect(writes).toBeGreaterThanOrEqual(1);
    expect(writes).toBeLessThanOrEqual(3);
    const reloaded = await loadPersistedValue({ path, schema: counterSchema, initial: { n: 0 } }, components);
    expect(reloaded.get()).toEqual({ n: 50 });
  });
});

describe('gossip item bookkeeping', () => {
  interface Item {
    id: string;
    until: number;
  }
  const policy: ItemPolicy<Item> = { keyOf: (x) => x.id, expiresAtMs: (x) => x.until, limit: 3 };

  it('replaces an item with the same key and drops expired ones', () => {
    const items = [
      { id: 'a', until: 50 },
      { id: 'b', until: 500 },
    ];
    const next = upsertBounded(items, { id: 'b', until: 900 }, policy, 100);
    expect(next).toEqual([{ id: 'b', until: 900 }]);
    expect(unexpired(next, policy, 1000)).toEqual([]);
  });

  it('keeps at most the limit, evicting those that expire first', () => {
    let items: Item[] = [];
    for (const [id, until] of [
      ['a', 400],
      ['b', 100 + 900],
      ['c', 300],
      ['d', 800],
    ] as const) {
      items = upsertBounded(items, { id, until }, policy, 0);
    }
    expect(items.map((x) => x.id).sort()).toEqual(['a', 'b', 'd']);
  });

  it('remembers peers, most recent first, keeping old addresses when none are known now', () => {
    const peers = rememberPeer([], { peerId: 'p1', multiaddrs: ['/ip4/127.0.0.1/tcp/1'], lastSeenMs: 1 }, 2);
    const again = rememberPeer(peers, { peerId: 'p1', multiaddrs: [], lastSeenMs: 5 }, 2);
    expect(again).toEqual([{ peerId: 'p1', multiaddrs: ['/ip4/127.0.0.1/tcp/1'], lastSeenMs: 5 }]);
    const full = rememberPeer(
      rememberPeer(again, { peerId: 'p2', multiaddrs: [], lastSeenMs: 6 }, 2),
      { peerId: 'p3', multiaddrs: [], lastSeenMs: 7 },
      2,
    );
    expect(full.map((p) => p.peerId)).toEqual(['p3', 'p2']);
  });
});
