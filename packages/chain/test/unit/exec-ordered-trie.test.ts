import { createMPT } from '@ethereumjs/mpt';
import { RLP } from '@ethereumjs/rlp';
import { describe, expect, it } from 'vitest';
import { EMPTY_TRIE_ROOT, orderedTrieRoot } from '../../src/exec/ordered-trie.ts';

async function mptRoot(values: Uint8Array[]): Promise<Uint8Array> {
  const trie = await createMPT();
  for (const [i, value] of values.entries()) await trie.put(RLP.encode(i), value);
  return trie.root();
}

/** Deterministic bytes of `length` (short values make embedded nodes, long ones hashed nodes). */
function valueAt(i: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, j) => (i * 31 + j * 7 + 1) & 0xff);
}

describe('orderedTrieRoot', () => {
  it('is the empty trie root for no values', async () => {
    expect(orderedTrieRoot([])).toEqual((await createMPT()).root());
    expect(EMPTY_TRIE_ROOT).toEqual((await createMPT()).root());
  });

  it('matches an MPT filled key by key, for sizes across the RLP key boundaries and value lengths', async () => {
    for (const count of [1, 2, 3, 15, 16, 17, 127, 128, 129, 256, 600]) {
      for (const length of [1, 40, 300]) {
        const values = Array.from({ length: count }, (_, i) => valueAt(i, length + (i % 3)));
        expect(orderedTrieRoot(values), `${count} values of ${length} bytes`).toEqual(await mptRoot(values));
      }
    }
  });
});
