/**
 * The dataset preview checked in the browser (issue 14), with @noble/hashes only: the same commitments as the Data
 * Vessel (packages/data-vessel/src/commitments, preview/select.ts) rebuilt here, because that package pulls Node's
 * Buffer and zod. Nothing the node sent is trusted: the shard table must hash to the on-chain content root, the rows
 * must be the ones keccak256(root ‖ blockHash) selects, and every chunk must prove into its shard root.
 */

import type { RouteResponse } from '@aic/node/api';
import { keccak_256 } from '@noble/hashes/sha3.js';

export type PreviewResponse = RouteResponse<'datasetPreview'>;

/** The Data Vessel's chunk size (limits.ts CHUNK_SIZE_BYTES): chunk boundaries are part of the commitment. */
const CHUNK_SIZE_BYTES = 256 * 1024;

export interface VerifiedRow {
  row: number;
  verified: boolean;
  /** Why the row failed (absent when verified). */
  reason?: string;
  features: number[];
  labels: number[];
}

export interface PreviewVerdict {
  /** The seed recomputed here from the root and the block hash. */
  seed: string;
  /** The shard table hashes to the on-chain root (without it no row can be verified). */
  tableMatchesRoot: boolean;
  /** The node's rows are exactly the ones the seed selects, in order. */
  selectionMatches: boolean;
  rows: VerifiedRow[];
  /** Every row verified. */
  allVerified: boolean;
}

const hexToBytes = (hex: string): Uint8Array => {
  const clean = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (!/^[0-9a-fA-F]*$/.test(clean) || clean.length % 2 !== 0) throw new Error('not hex');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
};
export const bytesToHex = (bytes: Uint8Array): string =>
  `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};
const uint256 = (value: number): Uint8Array => {
  const word = new Uint8Array(32);
  let v = BigInt(value);
  for (let i = 31; i >= 0 && v > 0n; i--) {
    word[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return word;
};
const uint32 = (value: number): Uint8Array => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, false);
  return out;
};
const compare = (a: Uint8Array, b: Uint8Array): number => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
};
/** OpenZeppelin's commutative pair hash (sorted pair), as @aic/core/merkle. */
const hashPair = (a: Uint8Array, b: Uint8Array): Uint8Array =>
  keccak_256(compare(a, b) <= 0 ? concat(a, b) : concat(b, a));

function merkleRoot(leaves: Uint8Array[]): Uint8Array {
  let level = leaves;
  while (level.length > 1) {
    const up: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const right = level[i + 1];
      up.push(right === undefined ? (level[i] as Uint8Array) : hashPair(level[i] as Uint8Array, right));
    }
    level = up;
  }
  return level[0] ?? new Uint8Array(32);
}

type Shard = PreviewResponse['shards'][number];

/** keccak256(keccak256(uint256 index ‖ root ‖ rows ‖ byteLength ‖ layout…)): the dataset tree's shard leaf. */
function shardLeaf(index: number, shard: Shard): Uint8Array {
  const { layout } = shard;
  const words = [
    shard.rows,
    shard.byteLength,
    layout.featuresOffset,
    layout.featureRowBytes,
    layout.labelsOffset,
    layout.labelRowBytes,
  ];
  return keccak_256(keccak_256(concat(uint256(index), hexToBytes(shard.root), ...words.map(uint256))));
}

export function datasetRootOf(shards: readonly Shard[]): string {
  return bytesToHex(merkleRoot(shards.map((s, i) => shardLeaf(i, s))));
}

export function previewSeed(datasetRoot: string, blockHash: string): Uint8Array {
  return keccak_256(concat(hexToBytes(datasetRoot), hexToBytes(blockHash)));
}

/** Draw j = uint256(keccak256(seed ‖ uint256 j)) mod totalRows, repeats skipped (preview/select.ts). */
export function selectRows(seed: Uint8Array, totalRows: number, k: number): number[] {
  const want = Math.min(k, totalRows);
  const chosen: number[] = [];
  const seen = new Set<number>();
  for (let j = 0; chosen.length < want; j++) {
    const row = Number(BigInt(bytesToHex(keccak_256(concat(seed, uint256(j))))) % BigInt(totalRows));
    if (!seen.has(row)) {
      seen.add(row);
      chosen.push(row);
    }
  }
  return chosen;
}

/** keccak256(uint32 index ‖ chunk) folded up the proof: the chunk's shard root. */
function chunkRootFromProof(index: number, bytes: Uint8Array, proof: readonly string[]): Uint8Array {
  let node: Uint8Array = keccak_256(concat(uint32(index), bytes));
  for (const sibling of proof) node = hashPair(node, hexToBytes(sibling));
  return node;
}

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function locate(shards: readonly Shard[], row: number): { shardIndex: number; rowInShard: number } {
  let first = 0;
  for (const [shardIndex, shard] of shards.entries()) {
    if (row < first + shard.rows) return { shardIndex, rowInShard: row - first };
    first += shard.rows;
  }
  return { shardIndex: -1, rowInShard: -1 };
}

function decode(bytes: Uint8Array, dtype: 'F32' | 'I32'): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  return Array.from({ length: Math.floor(bytes.length / 4) }, (_, i) =>
    dtype === 'F32' ? view.getFloat32(i * 4, true) : view.getInt32(i * 4, true),
  );
}

/** Checks one row: its chunks are exactly the ones its bytes touch and each proves into the shard root. */
function verifyRow(
  preview: PreviewResponse,
  row: PreviewResponse['rows'][number],
  expectedRow: number | undefined,
  tableOk: boolean,
): VerifiedRow {
  const fail = (reason: string): VerifiedRow => ({ row: row.row, verified: false, reason, features: [], labels: [] });
  if (!tableOk) return fail('the shard table does not hash to the on-chain root');
  if (expectedRow !== row.row) return fail(`the seed selects row ${expectedRow ?? 'none'} here, not ${row.row}`);
  const { shardIndex, rowInShard } = locate(preview.shards, row.row);
  const shard = preview.shards[shardIndex];
  if (shard === undefined || row.shardIndex !== shardIndex) return fail('the row claims the wrong shard');
  const f = shard.layout.featuresOffset + rowInShard * shard.layout.featureRowBytes;
  const l = shard.layout.labelsOffset + rowInShard * shard.layout.labelRowBytes;
  const ranges: Array<[number, number]> = [
    [f, f + shard.layout.featureRowBytes],
    [l, l + shard.layout.labelRowBytes],
  ];
  const needed = new Set<number>();
  for (const [start, end] of ranges)
    for (let c = Math.floor(start / CHUNK_SIZE_BYTES); c <= Math.floor((end - 1) / CHUNK_SIZE_BYTES); c++)
      needed.add(c);
  const neededList = [...needed].sort((a, b) => a - b);
  if (row.chunks.map((c) => c.index).join() !== neededList.join()) return fail('the row lacks or adds chunks');
  const chunks = new Map<number, Uint8Array>();
  const root = hexToBytes(shard.root);
  for (const chunk of row.chunks) {
    let bytes: Uint8Array;
    try {
      bytes = base64ToBytes(chunk.bytes);
    } catch {
      return fail(`chunk ${chunk.index} is not base64`);
    }
    const expectedLength = Math.min(CHUNK_SIZE_BYTES, shard.byteLength - chunk.index * CHUNK_SIZE_BYTES);
    if (bytes.length !== expectedLength) return fail(`chunk ${chunk.index} has the wrong length`);
    let proven: Uint8Array;
    try {
      proven = chunkRootFromProof(chunk.index, bytes, chunk.proof);
    } catch {
      return fail(`chunk ${chunk.index}'s proof is malformed`);
    }
    if (compare(proven, root) !== 0) return fail(`chunk ${chunk.index}'s Merkle proof does not reach the shard root`);
    chunks.set(chunk.index, bytes);
  }
  const read = ([start, end]: [number, number]) => {
    const out = new Uint8Array(end - start);
    for (let at = start; at < end; ) {
      const index = Math.floor(at / CHUNK_SIZE_BYTES);
      const chunk = chunks.get(index) as Uint8Array;
      const from = at - index * CHUNK_SIZE_BYTES;
      const n = Math.min(end - at, chunk.length - from);
      out.set(chunk.subarray(from, from + n), at - start);
      at += n;
    }
    return out;
  };
  return {
    row: row.row,
    verified: true,
    features: decode(read(ranges[0] as [number, number]), preview.features.dtype),
    labels: decode(read(ranges[1] as [number, number]), preview.labels.dtype),
  };
}

/**
 * Verifies a preview against `onChainRoot` (the Dataset NFT's content root, read from the chain) and the seed
 * block's hash. Never throws: each row says whether it verified and why not.
 */
export function verifyPreviewInBrowser(preview: PreviewResponse, onChainRoot: string): PreviewVerdict {
  let tableOk = false;
  try {
    tableOk = datasetRootOf(preview.shards) === onChainRoot.toLowerCase();
  } catch {
    tableOk = false;
  }
  let expected: number[] = [];
  let seed = '';
  try {
    const seedBytes = previewSeed(onChainRoot, preview.blockHash);
    seed = bytesToHex(seedBytes);
    const totalRows = preview.shards.reduce((n, s) => n + s.rows, 0);
    expected = totalRows > 0 ? selectRows(seedBytes, totalRows, preview.k) : [];
  } catch {
    expected = [];
  }
  const selectionMatches =
    expected.length === preview.rows.length && expected.every((row, i) => preview.rows[i]?.row === row);
  const rows = preview.rows.map((row, i) => {
    try {
      return verifyRow(preview, row, expected[i], tableOk);
    } catch {
      return { row: row.row, verified: false, reason: 'the row is malformed', features: [], labels: [] };
    }
  });
  return {
    seed,
    tableMatchesRoot: tableOk,
    selectionMatches,
    rows,
    allVerified: tableOk && selectionMatches && rows.length > 0 && rows.every((r) => r.verified),
  };
}
