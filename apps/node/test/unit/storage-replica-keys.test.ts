/** The Storage Vessel's book of replica keys: kept wrapped to the node's own key, checked on keep, dropped with it. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDatasetKey, wrapDatasetKey } from '@aic/data-vessel';
import { bytesToHex, hexToBytes, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadReplicaKeyBook } from '../../src/storage/replica-keys.ts';

const ROOT = `0x${'ab'.repeat(32)}` as const;
const publicKeyOf = (privateKey: Uint8Array) => hexToBytes(privateKeyToAccount(toHex(privateKey)).publicKey);

describe('replica key book', () => {
  let dir: string;
  const nodeKey = new Uint8Array(randomBytes(32));
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aic-replica-keys-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps a key wrapped to this node, reads it back after a restart, and drops it', async () => {
    const key = generateDatasetKey();
    const book = await loadReplicaKeyBook(dir, nodeKey);
    const kept = await book.keep('7', ROOT, wrapDatasetKey(key, publicKeyOf(nodeKey), ROOT));
    expect(kept).toEqual({ datasetId: '7', datasetRoot: ROOT, key });
    const file = await readFile(join(dir, 'replica-keys.json'), 'utf8');
    expect(file).not.toContain(bytesToHex(key).slice(2));
    const reopened = await loadReplicaKeyBook(dir, nodeKey);
    expect(reopened.list()).toEqual([{ datasetId: '7', datasetRoot: ROOT, key }]);
    await reopened.drop('7');
    expect((await loadReplicaKeyBook(dir, nodeKey)).list()).toEqual([]);
  });

  it('refuses a key wrapped to another node or bound to another root, keeping nothing', async () => {
    const book = await loadReplicaKeyBook(dir, nodeKey);
    const other = new Uint8Array(randomBytes(32));
    await expect(
      book.keep('7', ROOT, wrapDatasetKey(generateDatasetKey(), publicKeyOf(other), ROOT)),
    ).rejects.toThrow();
    const otherRoot = `0x${'cd'.repeat(32)}` as const;
    await expect(
      book.keep('7', ROOT, wrapDatasetKey(generateDatasetKey(), publicKeyOf(nodeKey), otherRoot)),
    ).rejects.toThrow();
    expect(book.list()).toEqual([]);
  });
});
