import { AicError, isAicError } from '@aic/core';
import type { AicNetwork } from '@aic/network';
import type { Hex } from '../commitments/index.ts';
import { GCM_TAG_BYTES } from '../crypto/index.ts';
import { CHUNK_SIZE_BYTES } from '../limits.ts';
import type { ShardCache } from '../worker-cache/index.ts';
import type { OnBadHolder } from './bad-holder.ts';
import { openChunkInto } from './chunk-open.ts';
import type { ChunkScheduler, ChunkTask } from './chunk-scheduler.ts';
import { type ChunkHolder, type ChunkSession, openChunkSession } from './chunk-session.ts';
import type { FrameList } from './chunk-wire.ts';
import { meterChunk, type TransferMeter } from './remote-source.ts';

/** A shard being put together from chunks of several holders. */
export interface ShardAssembly {
  readonly root: Hex;
  readonly bytes: Uint8Array;
  remaining: number;
  /** Which holder slot supplied each chunk (to find the liar when the shard root does not match). */
  readonly supplier: string[];
  /** Suppliers whose chunks were refetched after root mismatches, in order (the last one, on success, lied). */
  readonly suspects: string[];
}

/** What every lane of one fetch shares. */
export interface FetchRun {
  readonly net: AicNetwork;
  readonly key: Uint8Array;
  readonly datasetRoot: Hex;
  readonly cache: ShardCache;
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
}

type Verdict = 'keep' | 'drop';

/** The holder to try next after a root mismatch: the not yet suspected slot that supplied the most chunks. */
function nextSuspect(shard: ShardAssembly): string | undefined {
  const counts = new Map<string, number>();
  for (const slot of shard.supplier) if (!shard.suspects.includes(slot)) counts.set(slot, (counts.get(slot) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/**
 * A complete shard is checked against its Merkle root by `cache.put` (the ShardCache contract: it refuses bytes
 * that do not hash to the root), so the bulk keccak runs once per shard. On a mismatch every chunk passed GCM, so a
 * key holder forged some: the chunks of one supplier (each tried once, the biggest first) are refetched from the
 * others; when the root then matches, only that supplier's chunks changed, so it is the proven liar.
 */
async function completeShard(run: FetchRun, index: number, shard: ShardAssembly): Promise<void> {
  try {
    await run.cache.put(shard.root, shard.bytes);
    const liar = shard.suspects.at(-1);
    const liarPeer = liar === undefined ? undefined : run.peerOfSlot.get(liar);
    if (liarPeer) run.report(liarPeer, 'shard-root-mismatch');
  } catch (error) {
    const suspect = isAicError(error) && error.code === 'DATA_SHARD_ROOT_MISMATCH' ? nextSuspect(shard) : undefined;
    if (suspect === undefined) {
      run.scheduler.fail(error);
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

/** Opens one answer into its place in the shard; undefined when it is good, else why the holder is bad. */
function openChunk(run: FetchRun, task: ChunkTask, shard: ShardAssembly, sealed: FrameList) {
  const position = { datasetRoot: run.datasetRoot, shardIndex: task.shard, chunkIndex: task.chunk };
  const offset = task.chunk * CHUNK_SIZE_BYTES;
  const expected = Math.min(CHUNK_SIZE_BYTES, shard.bytes.length - offset);
  return openChunkInto(run.key, position, sealed, shard.bytes, offset, expected);
}

async function fetchOne(run: FetchRun, session: ChunkSession, slot: string, task: ChunkTask): Promise<Verdict> {
  const shard = run.shards.get(task.shard) as ShardAssembly;
  let sealed: FrameList;
  try {
    sealed = await session.fetchParts(shard.root, task.chunk);
  } catch (error) {
    const code = isAicError(error) ? error.code : undefined;
    if (code === 'DATA_CHUNK_NOT_FOUND') task.excluded.add(slot);
    if (code === 'DATA_CHUNK_RESPONSE_INVALID') run.report(session.peerId, 'malformed-response');
    run.scheduler.requeue(task);
    return code === 'DATA_CHUNK_NOT_FOUND' ? 'keep' : 'drop'; // a stream failure ends the session
  }
  meterChunk(run.meter, session.peerId, sealed.byteLength);
  const bad = openChunk(run, task, shard, sealed);
  if (bad) {
    if (run.meter) run.meter.rejected++;
    run.report(session.peerId, bad);
    task.excluded.add(slot);
    run.scheduler.requeue(task);
    return 'drop'; // a holder proven to lie is not asked again in this fetch
  }
  shard.supplier[task.chunk] = slot;
  run.bytesFetched += sealed.byteLength - GCM_TAG_BYTES;
  run.contributors.add(session.peerId);
  if (--shard.remaining === 0) await completeShard(run, task.shard, shard);
  return 'keep';
}

/** One of a holder's `window` loops: take a chunk, fetch and open it, until the work is done or the holder dropped. */
async function lane(run: FetchRun, session: ChunkSession, slot: string, holder: { dropped: boolean }) {
  while (!holder.dropped && !run.scheduler.finished) {
    const task = run.scheduler.take(slot);
    if (!task) {
      await run.scheduler.changed();
      continue;
    }
    try {
      if ((await fetchOne(run, session, slot, task)) === 'drop' && !holder.dropped) {
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

/**
 * Fetches chunks from one holder on one pipelined session with `window` requests in flight, until the shared work is
 * done, the holder fails or lies, or the fetch fails. Never throws: failures go to the scheduler.
 */
export async function runHolder(run: FetchRun, holder: ChunkHolder, slot: string, window: number): Promise<void> {
  let session: ChunkSession;
  try {
    session = await openChunkSession(run.net, holder, { window, ...(run.signal ? { signal: run.signal } : {}) });
  } catch {
    run.scheduler.holderGone(slot); // unreachable: the others carry its share
    return;
  }
  run.peerOfSlot.set(slot, session.peerId);
  const state = { dropped: false };
  await Promise.all(Array.from({ length: window }, () => lane(run, session, slot, state)));
  if (!state.dropped) run.scheduler.holderGone(slot);
  await session.close();
}

/** The error for a fetch that ended without every shard. */
export function unavailable(missing: number): AicError {
  return new AicError('DATA_CHUNK_UNAVAILABLE', `${missing} shard(s) could not be fetched from any holder`);
}
