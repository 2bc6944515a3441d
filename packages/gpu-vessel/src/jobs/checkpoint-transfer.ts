/**
 * Checkpoints between nodes on @aic/network's `/aic/checkpoint-fetch/1.0.0`: one checkpoint = its JSON and its
 * safetensors packed as [u32 JSON length][JSON][safetensors], served in 4 MiB chunks. A node registers sources
 * (its own provider runs, its mirror of its jobs); a fetched checkpoint is parsed as untrusted input and its
 * commitment is checked by the caller against what was reported or committed.
 */
import { AicError } from '@aic/core';
import { type Checkpoint, checkpointFromFiles, checkpointToFiles } from '@aic/model-vessel';
import { type AicNetwork, CHECKPOINT_CHUNK_BYTES, checkpointFetchProtocol } from '@aic/network';
import { hexToBigInt } from 'viem';
import { jobIdHex } from './job-key.ts';

/** Finds checkpoint `index` of `jobId` if this node has it and `sender` may read it. */
export type CheckpointSource = (jobId: bigint, index: number, sender: `0x${string}`) => Promise<Checkpoint | undefined>;

const MAX_CHECKPOINT_BYTES = 512 * 1024 * 1024;

export function packCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const { json, tensors } = checkpointToFiles(checkpoint);
  const jsonBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(4 + jsonBytes.length + tensors.length);
  new DataView(out.buffer).setUint32(0, jsonBytes.length);
  out.set(jsonBytes, 4);
  out.set(tensors, 4 + jsonBytes.length);
  return out;
}

export function unpackCheckpoint(bytes: Uint8Array): Checkpoint {
  if (bytes.length < 4) throw new AicError('RUNTIME_CHECKPOINT_INVALID', 'checkpoint bytes are truncated');
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  if (4 + jsonLength > bytes.length) throw new AicError('RUNTIME_CHECKPOINT_INVALID', 'checkpoint JSON is truncated');
  const json = new TextDecoder().decode(bytes.subarray(4, 4 + jsonLength));
  return checkpointFromFiles(json, bytes.slice(4 + jsonLength));
}

/** Serves checkpoints from the registered sources; returns `addSource`. */
export async function serveCheckpoints(net: AicNetwork): Promise<{ addSource(source: CheckpointSource): void }> {
  const sources: CheckpointSource[] = [];
  // Chunked reads of one checkpoint come back to back: keep the last few packed.
  const packed = new Map<string, { bytes: Uint8Array; commitment: `0x${string}` }>();
  await net.handle(checkpointFetchProtocol, async ({ jobId: jobHex, index, chunk }, { sender }) => {
    const jobId = hexToBigInt(jobHex);
    const key = `${jobId}/${index}`;
    let entry = packed.get(key);
    if (entry === undefined) {
      let checkpoint: Checkpoint | undefined;
      for (const source of sources) {
        checkpoint = await source(jobId, index, sender);
        if (checkpoint) break;
      }
      if (!checkpoint) throw new AicError('CHECKPOINT_NOT_FOUND', `no checkpoint ${index} of job ${jobId} here`);
      const commitment = checkpoint.commitments.at(-1)?.hash;
      if (commitment === undefined) throw new AicError('CHECKPOINT_NOT_FOUND', 'checkpoint has no commitment');
      entry = { bytes: packCheckpoint(checkpoint), commitment };
      packed.set(key, entry);
      if (packed.size > 4) packed.delete(packed.keys().next().value as string);
    }
    const totalChunks = Math.max(1, Math.ceil(entry.bytes.length / CHECKPOINT_CHUNK_BYTES));
    if (chunk >= totalChunks) throw new AicError('CHECKPOINT_CHUNK_OUT_OF_RANGE', `chunk ${chunk} ≥ ${totalChunks}`);
    const start = chunk * CHECKPOINT_CHUNK_BYTES;
    return {
      chunk: entry.bytes.subarray(start, start + CHECKPOINT_CHUNK_BYTES),
      totalChunks,
      commitment: entry.commitment,
    };
  });
  return { addSource: (source) => void sources.push(source) };
}

/** Fetches checkpoint `index` of `jobId` from `peer`, all chunks, and parses it (untrusted). */
export async function fetchCheckpoint(
  net: AicNetwork,
  peer: string,
  jobId: bigint,
  index: number,
  signal?: AbortSignal,
): Promise<Checkpoint> {
  const parts: Uint8Array[] = [];
  let total = 1;
  for (let chunk = 0; chunk < total; chunk++) {
    const answer = await net.request(
      peer,
      checkpointFetchProtocol,
      { jobId: jobIdHex(jobId), index, chunk },
      signal ? { signal } : {},
    );
    total = answer.totalChunks;
    if (total * CHECKPOINT_CHUNK_BYTES > MAX_CHECKPOINT_BYTES) {
      throw new AicError('CHECKPOINT_TOO_LARGE', `checkpoint of ${total} chunks exceeds the limit`);
    }
    parts.push(answer.chunk);
  }
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    bytes.set(p, offset);
    offset += p.length;
  }
  return unpackCheckpoint(bytes);
}
