import { AicError, isAicError } from '@aic/core';
import type { AicNetwork } from '@aic/network';
import { type Hex, shardRootOfLeaves } from '../commitments/index.ts';
import { GCM_TAG_BYTES } from '../crypto/index.ts';
import { CHUNK_SIZE_BYTES } from '../limits.ts';
import type { ShardCache } from '../worker-cache/index.ts';
import type { OnBadHolder } from './bad-holder.ts';
import type { ChunkScheduler, ChunkTask } from './chunk-scheduler.ts';
import type { ChunkHolder } from './chunk-session.ts';
import type { ChunkVerifier, VerifierLane } from './chunk-verifier.ts';
import type { FrameList } from './chunk-wire.ts';
import { type HolderSession, type OnFetchPath, openHolderSession } from './holder-session.ts';
import { meterChunk, type TransferMeter } from './remote-source.ts';

/** A shard being put together from chunks of several holders. */
export interface ShardAssembly {
  readonly root: Hex;
  readonly byteLength: number;
  /** The verified plaintext, once every chunk is in and the leaves give the root (the verifier holds it until then). */
  bytes: Uint8Array | undefined;
  /** Each chunk's Merkle leaf, computed by the verifier over the plaintext it wrote. */
  readonly leaves: Uint8Array[];
  remaining: number;
  /** Which holder slot supplied each chunk (to find the liar when the shard root does not match). */
  readonly supplier: string[];
  /** Suppliers whose chunks were refetched after root mismatches, in order (the last one, on success, lied). */
  readonly suspects: string[];
}

/** What every lane of one fetch shares. */
export interface FetchRun {
  readonly net: AicNetwork;
  readonly datasetRoot: Hex;
  readonly cache: ShardCache;
  /** Opens chunks (GCM) into their shards and computes their leaves (keccak), in a worker thread for bulk fetches. */
  readonly verifier: ChunkVerifier;
  readonly meter: TransferMeter | undefined;
  readonly signal: AbortSignal | undefined;
  readonly scheduler: ChunkScheduler;
  readonly shards: ReadonlyMap<number, ShardAssembly>;
  readonly report: OnBadHolder;
  /** PeerId of each holder slot, once its stream is open. */
  readonly peerOfSlot: Map<string, string>;
  /** PeerIds whose chunks were accepted. */
  readonly contributors: Set<string>;
  bytesFetched: number;
  /** Try each holder's bulk path first (else the libp2p stream only). */
  readonly bulk: boolean;
  readonly onPath: OnFetchPath | undefined;
}

/** What a chunk answer means for its holder: keep asking; its session broke (a timeout, a reset: an honest fault,
 * it gets a new session); or it lied (never asked again in this fetch). */
type Verdict = 'keep' | 'broken' | 'drop';

/** Sessions one holder gets per fetch: under load a stalled answer times out and breaks its session, and a holder
 * dropped for that left a forged shard with no one to refetch it from (CI saw it); a liar gets no second one. */
export const SESSIONS_PER_HOLDER = 3;

/** The holder to try next after a root mismatch: the not yet suspected slot that supplied the most chunks. */
function nextSuspect(shard: ShardAssembly): string | undefined {
  const counts = new Map<string, number>();
  for (const slot of shard.supplier) if (!shard.suspects.includes(slot)) counts.set(slot, (counts.get(slot) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/**
 * A complete shard is checked against its Merkle root: the root over the chunk leaves, each computed by the verifier
 * over exactly the plaintext it wrote into the shard (so keccak runs once per byte, beside the transfer), must be the
 * manifest's; only then is the shard taken and cached. On a mismatch every chunk passed GCM, so a key holder forged
 * some: the chunks of one supplier (each tried once, the biggest first) are refetched from the others; when the root
 * then matches, only that supplier's chunks changed, so it is the proven liar.
 */
async function completeShard(run: FetchRun, index: number, shard: ShardAssembly): Promise<void> {
  if (shardRootOfLeaves(shard.leaves) === shard.root) {
    try {
      const bytes = await run.verifier.take(index);
      if (bytes.length !== shard.byteLength)
        throw new AicError('DATA_CHUNK_FETCH_FAILED', 'shard lost in the verifier');
      await run.cache.putVerified(shard.root, bytes);
      shard.bytes = bytes;
    } catch (error) {
      run.scheduler.fail(error);
      return;
    }
    const liar = shard.suspects.at(-1);
    const liarPeer = liar === undefined ? undefined : run.peerOfSlot.get(liar);
    if (liarPeer) run.report(liarPeer, 'shard-root-mismatch');
  } else {
    const suspect = nextSuspect(shard);
    if (suspect === undefined) {
      run.scheduler.fail(new AicError('DATA_SHARD_ROOT_MISMATCH', 'no combination of holders gives the shard root'));
      return;
    }
    shard.suspects.push(suspect);
    shard.supplier.forEach((slot, chunk) => {
      if (slot !== suspect) return;
      shard.remaining++;
      run.scheduler.requeue({ shard: index, chunk, excluded: new Set([suspect]) });
    });
  }
}

/** Opens one answer into its place in the shard: its leaf when it is good, else why the holder is bad. */
function openChunk(run: FetchRun, checks: VerifierLane, task: ChunkTask, shard: ShardAssembly, sealed: FrameList) {
  const position = { datasetRoot: run.datasetRoot, shardIndex: task.shard, chunkIndex: task.chunk };
  const offset = task.chunk * CHUNK_SIZE_BYTES;
  const expectedLength = Math.min(CHUNK_SIZE_BYTES, shard.byteLength - offset);
  return checks.open({ position, offset, expectedLength, shardLength: shard.byteLength }, sealed);
}

async function fetchOne(
  run: FetchRun,
  session: HolderSession,
  checks: VerifierLane,
  slot: string,
  task: ChunkTask,
): Promise<Verdict> {
  const shard = run.shards.get(task.shard) as ShardAssembly;
  let sealed: FrameList;
  try {
    sealed = await session.fetchParts(shard.root, task.chunk);
  } catch (error) {
    const code = isAicError(error) ? error.code : undefined;
    if (code === 'DATA_CHUNK_NOT_FOUND') task.excluded.add(slot);
    if (code === 'DATA_CHUNK_RESPONSE_INVALID') run.report(session.peerId, 'malformed-response');
    run.scheduler.requeue(task);
    return code === 'DATA_CHUNK_NOT_FOUND' ? 'keep' : 'broken'; // a stream failure ends the session
  }
  const sealedLength = sealed.byteLength;
  meterChunk(run.meter, session.peerId, sealedLength, session.path);
  const verdict = await openChunk(run, checks, task, shard, sealed);
  session.recycle?.(sealed); // the verifier copied or opened it: its buffer may take the next answer
  if (verdict.failure) {
    if (run.meter) run.meter.rejected++;
    run.report(session.peerId, verdict.failure);
    task.excluded.add(slot);
    run.scheduler.requeue(task);
    return 'drop'; // a holder proven to lie is not asked again in this fetch
  }
  shard.leaves[task.chunk] = verdict.leaf;
  shard.supplier[task.chunk] = slot;
  run.bytesFetched += sealedLength - GCM_TAG_BYTES;
  run.contributors.add(session.peerId);
  if (--shard.remaining === 0) await completeShard(run, task.shard, shard);
  return 'keep';
}

/** One of a holder's `window` loops: take a chunk, fetch and open it, until the work is done or the holder dropped. */
async function lane(run: FetchRun, session: HolderSession, slot: string, holder: HolderState) {
  const checks = run.verifier.lane();
  while (!holder.dropped && !holder.broken && !run.scheduler.finished) {
    const task = run.scheduler.take(slot);
    if (!task) {
      await run.scheduler.changed();
      continue;
    }
    try {
      const verdict = await fetchOne(run, session, checks, slot, task);
      if (verdict === 'broken') holder.broken = true;
      if (verdict === 'drop' && !holder.dropped) {
        holder.dropped = true;
        run.scheduler.holderGone(slot);
      }
    } catch (error) {
      run.scheduler.fail(error);
    } finally {
      run.scheduler.settle();
    }
  }
}

interface HolderState {
  dropped: boolean;
  broken: boolean;
}

/**
 * Fetches chunks from one holder on one pipelined session (its bulk path when it offers one, else the libp2p stream:
 * `holder-session.ts`) with `window` requests in flight, until the shared work is done, the holder lies, or the
 * fetch fails; a session that breaks is reopened (up to SESSIONS_PER_HOLDER). Never throws: failures go to the
 * scheduler.
 */
export async function runHolder(run: FetchRun, holder: ChunkHolder, slot: string, window: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let session: HolderSession;
    try {
      session = await openHolderSession(run.net, holder, slot, {
        window,
        bulk: run.bulk,
        ...(run.onPath ? { onPath: run.onPath } : {}),
        ...(run.signal ? { signal: run.signal } : {}),
      });
    } catch {
      run.scheduler.holderGone(slot); // unreachable: the others carry its share
      return;
    }
    run.peerOfSlot.set(slot, session.peerId);
    const state: HolderState = { dropped: false, broken: false };
    await Promise.all(Array.from({ length: window }, () => lane(run, session, slot, state)));
    const again = state.broken && !state.dropped && !run.scheduler.finished && attempt < SESSIONS_PER_HOLDER;
    if (!state.dropped && !again) run.scheduler.holderGone(slot);
    await session.close();
    if (!again) return;
  }
}

/** The error for a fetch that ended without every shard. */
export function unavailable(missing: number): AicError {
  return new AicError('DATA_CHUNK_UNAVAILABLE', `${missing} shard(s) could not be fetched from any holder`);
}
