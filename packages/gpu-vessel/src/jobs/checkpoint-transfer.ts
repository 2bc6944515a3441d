/**
 * Checkpoints between nodes on the raw stream protocol `/aic/checkpoint/1.0.0`: one stream per checkpoint, one
 * request (jobId ‖ uint32 index, 36 bytes) and one answer (status ‖ [u32 JSON length][JSON][safetensors]), both
 * length-prefixed and bounded. The bytes are not signed: every receiver checks the checkpoint against a commitment it
 * already holds (reported by the provider, or under the on-chain root), so signing megabytes in an envelope (as the
 * first version did, ~35 ms of hashing per 2.4 MB MNIST checkpoint on each side) bought nothing. The caller's
 * identity is the Noise-authenticated PeerId, so a source can still refuse whoever may not read a job.
 */
import { AicError, isAicError } from '@aic/core';
import { type Checkpoint, checkpointFromFiles, checkpointToFiles } from '@aic/model-vessel';
import type { AicNetwork } from '@aic/network';
import { lpStream } from '@libp2p/utils';
import { hexToBytes, toHex } from 'viem';
import { jobIdHex } from './job-key.ts';

/** Finds checkpoint `index` of `jobId` if this node has it and `sender` may read it: parsed, or its files as stored
 * (served without parsing). */
export type CheckpointSource = (
  jobId: bigint,
  index: number,
  sender: `0x${string}`,
) => Promise<Checkpoint | CheckpointFiles | undefined>;

export const CHECKPOINT_PROTOCOL = '/aic/checkpoint/1.0.0';
const REQUEST_BYTES = 36;
/** The largest checkpoint a node accepts (what it would buffer from one answer). */
const MAX_CHECKPOINT_BYTES = 512 * 1024 * 1024;
/** Time for one exchange (dial, request, answer) on either side. */
const CHECKPOINT_EXCHANGE_TIMEOUT_MS = 30_000;

const Status = { ok: 0, notFound: 1, denied: 2, badRequest: 3, failed: 4 } as const;

export function packCheckpoint(checkpoint: Checkpoint, leadingBytes = 0): Uint8Array {
  return packCheckpointFiles(checkpointToFiles(checkpoint), leadingBytes);
}

/** [u32 JSON length][JSON][safetensors], after `leadingBytes` zero bytes (room for a status byte). */
export function packCheckpointFiles({ json, tensors }: CheckpointFiles, leadingBytes = 0): Uint8Array {
  const jsonBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(leadingBytes + 4 + jsonBytes.length + tensors.length);
  new DataView(out.buffer).setUint32(leadingBytes, jsonBytes.length);
  out.set(jsonBytes, leadingBytes + 4);
  out.set(tensors, leadingBytes + 4 + jsonBytes.length);
  return out;
}

/** A checkpoint's two files, as packed on the wire. */
export interface CheckpointFiles {
  readonly json: string;
  readonly tensors: Uint8Array;
}

/** Splits packed bytes into the checkpoint's files (views into `bytes`, which the caller must own). */
export function unpackCheckpointFiles(bytes: Uint8Array): CheckpointFiles {
  if (bytes.length < 4) throw new AicError('RUNTIME_CHECKPOINT_INVALID', 'checkpoint bytes are truncated');
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  if (4 + jsonLength > bytes.length) throw new AicError('RUNTIME_CHECKPOINT_INVALID', 'checkpoint JSON is truncated');
  return { json: new TextDecoder().decode(bytes.subarray(4, 4 + jsonLength)), tensors: bytes.subarray(4 + jsonLength) };
}

function encodeRequest(jobId: bigint, index: number): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index > 0xffffffff) {
    throw new AicError('CHECKPOINT_REQUEST_INVALID', `checkpoint index ${index} is not a uint32`);
  }
  const out = new Uint8Array(REQUEST_BYTES);
  out.set(hexToBytes(jobIdHex(jobId)));
  new DataView(out.buffer).setUint32(32, index, false);
  return out;
}

function decodeRequest(bytes: Uint8Array): { jobId: bigint; index: number } | undefined {
  if (bytes.length !== REQUEST_BYTES) return undefined;
  const index = new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(32, false);
  return { jobId: BigInt(toHex(bytes.subarray(0, 32))), index };
}

const statusOnly = (status: number) => Uint8Array.of(status);

/** Told of a source that failed (not a refusal): the caller only learns "failed", so the cause is logged here. */
export type CheckpointSourceFailure = (error: unknown, request: { jobId: bigint; index: number }) => void;

async function answerFor(
  sources: readonly CheckpointSource[],
  request: { jobId: bigint; index: number },
  sender: `0x${string}`,
  onFailure?: CheckpointSourceFailure,
): Promise<Uint8Array> {
  try {
    for (const source of sources) {
      const found = await source(request.jobId, request.index, sender);
      if (found) {
        const answer = 'json' in found ? packCheckpointFiles(found, 1) : packCheckpoint(found, 1);
        answer[0] = Status.ok;
        return answer;
      }
    }
    return statusOnly(Status.notFound);
  } catch (error) {
    if (isAicError(error, 'JOB_ACCESS_DENIED')) return statusOnly(Status.denied);
    onFailure?.(error, request);
    return statusOnly(Status.failed);
  }
}

/** Serves checkpoints from the registered sources (first that has it wins); returns `addSource`, and `stop`, which
 * unregisters the protocol. */
export async function serveCheckpoints(
  net: AicNetwork,
  onFailure?: CheckpointSourceFailure,
): Promise<{ addSource(source: CheckpointSource): void; stop(): Promise<void> }> {
  const sources: CheckpointSource[] = [];
  await net.handleStream(CHECKPOINT_PROTOCOL, async (stream, remote) => {
    const signal = AbortSignal.timeout(CHECKPOINT_EXCHANGE_TIMEOUT_MS);
    try {
      // maxDataLength bounds what is buffered from the caller: a longer request fails the read.
      const lp = lpStream(stream, { maxDataLength: REQUEST_BYTES });
      const request = decodeRequest((await lp.read({ signal })).subarray());
      const answer =
        request && remote.address
          ? await answerFor(sources, request, remote.address, onFailure)
          : statusOnly(Status.badRequest);
      if (answer[0] === Status.ok && injectedCut()) return cutMidTransfer(stream, answer);
      await lp.write(answer, { signal });
      await stream.close({ signal });
    } catch (error) {
      stream.abort(error instanceof Error ? error : new Error('checkpoint exchange failed'));
    }
  });
  return { addSource: (source) => void sources.push(source), stop: () => net.unhandle(CHECKPOINT_PROTOCOL) };
}

/** TEST-ONLY fault seam (issue 18's soak): with AIC_TEST_CHECKPOINT_CUT_EVERY=N a node cuts every Nth checkpoint it
 * serves mid-transfer (length prefix and half the bytes sent, then the stream reset), as a dropped connection would.
 * Unset (always, outside fault tests) it does nothing. */
let servedAnswers = 0;
function injectedCut(): boolean {
  const every = Number(process.env.AIC_TEST_CHECKPOINT_CUT_EVERY ?? 0);
  if (!Number.isInteger(every) || every < 1) return false;
  servedAnswers++;
  return servedAnswers % every === 0;
}

/** TEST-ONLY: sends the unsigned-varint length prefix of `answer` and half its bytes, then resets the stream. */
function cutMidTransfer(stream: Parameters<Parameters<AicNetwork['handleStream']>[1]>[0], answer: Uint8Array): void {
  const prefix: number[] = [];
  for (let n = answer.length; ; n = Math.floor(n / 128)) {
    if (n < 128) {
      prefix.push(n);
      break;
    }
    prefix.push((n % 128) | 0x80);
  }
  const half = answer.subarray(0, Math.floor(answer.length / 2));
  const partial = new Uint8Array(prefix.length + half.length);
  partial.set(prefix);
  partial.set(half, prefix.length);
  stream.send(partial);
  stream.abort(new Error('checkpoint stream cut mid-transfer (injected fault)'));
}

/**
 * Fetches checkpoint `index` of `jobId` from `peer` and parses it (untrusted: the caller checks its commitment).
 * Throws CHECKPOINT_NOT_FOUND, CHECKPOINT_ACCESS_DENIED (refusals, not worth retrying), CHECKPOINT_FETCH_FAILED
 * (dial, stream, timeout, or the holder failed) or RUNTIME_CHECKPOINT_INVALID (malformed bytes).
 */
export async function fetchCheckpoint(
  net: AicNetwork,
  peer: string,
  jobId: bigint,
  index: number,
  signal?: AbortSignal,
): Promise<Checkpoint> {
  return (await fetchCheckpointWithFiles(net, peer, jobId, index, signal)).checkpoint;
}

/** fetchCheckpoint, also returning the received files (a mirror stores them as they came, without re-serializing). */
export async function fetchCheckpointWithFiles(
  net: AicNetwork,
  peer: string,
  jobId: bigint,
  index: number,
  signal?: AbortSignal,
): Promise<{ checkpoint: Checkpoint; files: CheckpointFiles }> {
  const request = encodeRequest(jobId, index);
  const timeout = AbortSignal.timeout(CHECKPOINT_EXCHANGE_TIMEOUT_MS);
  const bounded = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let answer: Uint8Array;
  try {
    const stream = await net.openStream(peer, CHECKPOINT_PROTOCOL, { signal: bounded });
    const lp = lpStream(stream, { maxDataLength: 1 + MAX_CHECKPOINT_BYTES });
    await lp.write(request, { signal: bounded });
    const read = (await lp.read({ signal: bounded })).subarray();
    // A plain Uint8Array view (socket data may be a Buffer, whose slice() does not copy).
    answer = new Uint8Array(read.buffer, read.byteOffset, read.byteLength);
    await stream.close({ signal: bounded }).catch(() => stream.abort(new Error('close failed')));
  } catch (cause) {
    throw new AicError('CHECKPOINT_FETCH_FAILED', `checkpoint ${index} of job ${jobId} could not be fetched`, {
      cause,
      details: { jobId: String(jobId), index, timedOut: timeout.aborted },
    });
  }
  const details = { details: { jobId: String(jobId), index } };
  switch (answer[0]) {
    case Status.ok: {
      const files = unpackCheckpointFiles(answer.subarray(1));
      return { checkpoint: checkpointFromFiles(files.json, files.tensors), files };
    }
    case Status.notFound:
      throw new AicError('CHECKPOINT_NOT_FOUND', `the peer has no checkpoint ${index} of job ${jobId}`, details);
    case Status.denied:
      throw new AicError('CHECKPOINT_ACCESS_DENIED', `the peer refused checkpoint ${index} of job ${jobId}`, details);
    default:
      throw new AicError('CHECKPOINT_FETCH_FAILED', `the peer failed to serve checkpoint ${index} of job ${jobId}`, {
        details: { ...details.details, status: answer[0] },
      });
  }
}
