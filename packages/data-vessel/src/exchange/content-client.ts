import { AicError, isAicError } from '@aic/core';
import type { AicNetwork } from '@aic/network';
import { lpStream } from '@libp2p/utils';
import { type BadHolderReason, badHolderReporter, type OnBadHolder } from './bad-holder.ts';
import type { ChunkHolder } from './chunk-session.ts';
import { bytesMatchCid, CONTENT_LIMITS, CONTENT_PROTOCOL, ContentStatus, parseCheckableCid } from './content-wire.ts';
import { holderKey } from './remote-source.ts';

/** Options of a content fetch. */
export interface FetchContentOptions {
  /** Largest content accepted (default and most: CONTENT_LIMITS.maxContentBytes); a holder sending more is bad. */
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
  /** Told of a holder whose bytes do not hash to the CID (its peer score is lowered in any case). */
  readonly onBadHolder?: OnBadHolder;
  /** Time for each holder's exchange (default CONTENT_LIMITS.exchangeTimeoutMs). */
  readonly timeoutMs?: number;
}

/** Raised for what a holder sent: which reason it is reported with, if any. */
function holderFault(error: unknown): BadHolderReason | undefined {
  if (!isAicError(error)) return undefined;
  if (error.code === 'DATA_CONTENT_HASH_MISMATCH') return 'content-hash-mismatch';
  if (error.code === 'DATA_CONTENT_RESPONSE_INVALID') return 'content-invalid';
  return undefined;
}

async function askHolder(net: AicNetwork, holder: ChunkHolder, cid: string, maxBytes: number, signal: AbortSignal) {
  let frame: Uint8Array;
  let peerId: string | undefined;
  try {
    const connection = await net.libp2p.dial(holder, { signal });
    peerId = connection.remotePeer.toString();
    const stream = await connection.newStream(CONTENT_PROTOCOL, { signal });
    const lp = lpStream(stream, { maxDataLength: maxBytes + 1, maxBufferSize: maxBytes + 64 });
    await lp.write(new TextEncoder().encode(cid), { signal });
    frame = (await lp.read({ signal })).subarray();
    await stream.close({ signal }).catch(() => stream.abort(new Error('close failed')));
  } catch (cause) {
    // An answer over maxBytes fails the read too: without the length we cannot tell it from a network failure.
    const oversized = cause instanceof Error && cause.name === 'InvalidDataLengthError';
    throw new AicError(
      oversized ? 'DATA_CONTENT_RESPONSE_INVALID' : 'DATA_CONTENT_FETCH_FAILED',
      'content exchange failed',
      {
        cause,
        details: { timedOut: signal.aborted, oversized, ...(peerId === undefined ? {} : { peerId }) },
      },
    );
  }
  return { frame, peerId: peerId as string };
}

function contentOfFrame(frame: Uint8Array, cid: string): Uint8Array {
  if (frame[0] === ContentStatus.notFound && frame.length === 1) {
    throw new AicError('DATA_CONTENT_NOT_FOUND', 'the holder does not have this content');
  }
  if (frame[0] !== ContentStatus.ok) {
    throw new AicError('DATA_CONTENT_RESPONSE_INVALID', 'malformed content answer', { details: { status: frame[0] } });
  }
  const bytes = frame.subarray(1);
  if (!bytesMatchCid(bytes, parseCheckableCid(cid))) {
    throw new AicError('DATA_CONTENT_HASH_MISMATCH', 'the bytes served do not hash to the CID', { details: { cid } });
  }
  return bytes;
}

/**
 * Fetches the bytes of `cid` (a sha2-256 CID, e.g. a dataset or model manifest) from the first holder that has them,
 * trying `holders` in order over `/aic/content/1.0.0`. The bytes are re-hashed against the CID: a holder whose bytes
 * do not match (or that sends more than `maxBytes`) is reported and the next one asked. Throws
 * DATA_CONTENT_CID_INVALID for a CID that cannot be checked, DATA_CONTENT_UNAVAILABLE (details: each holder's code)
 * when no holder delivered.
 *
 * @example
 * const manifestBytes = await fetchContent(node, holders, asset.manifestCid, { maxBytes: MAX_MANIFEST_BYTES });
 */
export async function fetchContent(
  net: AicNetwork,
  holders: readonly ChunkHolder[],
  cid: string,
  options: FetchContentOptions = {},
): Promise<Uint8Array> {
  parseCheckableCid(cid);
  const maxBytes = Math.min(options.maxBytes ?? CONTENT_LIMITS.maxContentBytes, CONTENT_LIMITS.maxContentBytes);
  const report = badHolderReporter(net, options.onBadHolder);
  const attempts: { holder: string; code: string }[] = [];
  for (const holder of holders) {
    options.signal?.throwIfAborted();
    const timeout = AbortSignal.timeout(options.timeoutMs ?? CONTENT_LIMITS.exchangeTimeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let peerId = holderKey(holder);
    try {
      const answer = await askHolder(net, holder, cid, maxBytes, signal);
      peerId = answer.peerId;
      return contentOfFrame(answer.frame, cid);
    } catch (error) {
      if (isAicError(error) && typeof error.details.peerId === 'string') peerId = error.details.peerId;
      const fault = holderFault(error);
      if (fault) report(peerId, fault);
      attempts.push({ holder: peerId, code: isAicError(error) ? error.code : 'UNKNOWN' });
    }
  }
  throw new AicError('DATA_CONTENT_UNAVAILABLE', `no holder delivered content ${cid}`, { details: { cid, attempts } });
}
