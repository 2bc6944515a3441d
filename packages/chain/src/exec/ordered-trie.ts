/**
 * The root of an Ethereum "ordered" trie (key = RLP(index), as the transactions and receipts roots are), computed in
 * one pass: the trie is laid out in memory from all keys at once and every node is hashed exactly once. EthereumJS's
 * MPT inserts one key at a time and re-encodes and re-hashes the whole path on each insert (through a MapDB and a
 * lock), which made the two per-block roots a large part of building a block of ERC-20 transfers.
 * Same roots as `genTransactionsTrieRoot` / an MPT filled with `put(RLP(i), value)` (test/unit/exec-ordered-trie).
 */
import { RLP } from '@ethereumjs/rlp';
import { keccak_256 } from '@noble/hashes/sha3.js';

type Entry = { path: Uint8Array; value: Uint8Array };
/** A node as RLP encodes it: an embedded node stays a list, a referenced one is its 32-byte hash. */
type NodeRef = Uint8Array | NodeRef[];

const EMPTY = new Uint8Array();

/** keccak256(RLP('')): the root of an empty trie. */
export const EMPTY_TRIE_ROOT = keccak_256(RLP.encode(EMPTY));

export function orderedTrieRoot(values: readonly Uint8Array[]): Uint8Array {
  if (values.length === 0) return EMPTY_TRIE_ROOT;
  const entries: Entry[] = values.map((value, i) => ({ path: nibbles(RLP.encode(i)), value }));
  entries.sort((a, b) => compare(a.path, b.path));
  return keccak_256(RLP.encode(node(entries, 0)));
}

/** The node holding `entries` (sorted, sharing their first `depth` nibbles), as an unencoded RLP structure. */
function node(entries: Entry[], depth: number): NodeRef[] {
  if (entries.length === 1) {
    const only = entries[0] as Entry;
    return [hexPrefix(only.path.subarray(depth), true), only.value];
  }
  const first = (entries[0] as Entry).path;
  const last = (entries[entries.length - 1] as Entry).path;
  let shared = 0;
  // Sorted: the prefix all entries share is the one the first and the last share.
  while (
    depth + shared < first.length &&
    depth + shared < last.length &&
    first[depth + shared] === last[depth + shared]
  ) {
    shared++;
  }
  if (shared > 0) return [hexPrefix(first.subarray(depth, depth + shared), false), ref(node(entries, depth + shared))];
  const branch: NodeRef[] = Array.from({ length: 17 }, () => EMPTY);
  let start = 0;
  // RLP(index) keys are prefix-free, but a key ending here would be the branch's value.
  if (first.length === depth) {
    branch[16] = (entries[0] as Entry).value;
    start = 1;
  }
  while (start < entries.length) {
    const nibble = (entries[start] as Entry).path[depth] as number;
    let end = start + 1;
    while (end < entries.length && (entries[end] as Entry).path[depth] === nibble) end++;
    branch[nibble] = ref(node(entries.slice(start, end), depth + 1));
    start = end;
  }
  return branch;
}

/** A child as its parent holds it: embedded when its encoding is under 32 bytes, else by hash. */
function ref(child: NodeRef[]): NodeRef {
  const encoded = RLP.encode(child);
  return encoded.length < 32 ? child : keccak_256(encoded);
}

function nibbles(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length * 2);
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = (key[i] as number) >> 4;
    out[2 * i + 1] = (key[i] as number) & 0x0f;
  }
  return out;
}

/** Hex-prefix encoding of a nibble path (Yellow Paper appendix C). */
function hexPrefix(path: Uint8Array, leaf: boolean): Uint8Array {
  const odd = path.length % 2 === 1;
  const flag = (leaf ? 2 : 0) + (odd ? 1 : 0);
  const out = new Uint8Array(Math.floor(path.length / 2) + 1);
  let i = 0;
  if (odd) {
    out[0] = (flag << 4) | (path[0] as number);
    i = 1;
  } else out[0] = flag << 4;
  for (let o = 1; i < path.length; i += 2, o++) out[o] = ((path[i] as number) << 4) | (path[i + 1] as number);
  return out;
}

function compare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}
