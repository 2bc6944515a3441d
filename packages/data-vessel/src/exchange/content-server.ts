import type { AicNetwork } from '@aic/network';
import type { Stream } from '@libp2p/interface';
import { lpStream } from '@libp2p/utils';
import { bytesMatchCid, CONTENT_LIMITS, CONTENT_PROTOCOL, ContentStatus, parseCheckableCid } from './content-wire.ts';

/** What a node serves by CID: the exact bytes, or undefined when it does not hold them. */
export interface ContentSource {
  get(cid: string): Uint8Array | undefined | Promise<Uint8Array | undefined>;
}

function cidOf(frame: Uint8Array): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(frame);
    parseCheckableCid(text);
    return text;
  } catch {
    return undefined;
  }
}

async function answer(stream: Stream, source: ContentSource, signal: AbortSignal): Promise<void> {
  const lp = lpStream(stream, { maxDataLength: CONTENT_LIMITS.maxCidChars });
  const cid = cidOf((await lp.read({ signal })).subarray());
  const bytes = cid === undefined ? undefined : await source.get(cid);
  // Never serve what does not match (a corrupt disk must not make this node the liar) or what nobody may fetch.
  const servable =
    cid !== undefined &&
    bytes !== undefined &&
    bytes.length <= CONTENT_LIMITS.maxContentBytes &&
    bytesMatchCid(bytes, parseCheckableCid(cid));
  const status = cid === undefined ? ContentStatus.badRequest : servable ? ContentStatus.ok : ContentStatus.notFound;
  const frame = new Uint8Array(1 + (servable && bytes ? bytes.length : 0));
  frame[0] = status;
  if (servable && bytes) frame.set(bytes, 1);
  await lp.write(frame, { signal });
  await stream.close({ signal });
}

/**
 * Serves `/aic/content/1.0.0` on a started network: a peer sends a CID, gets the bytes `source` holds for it.
 * Bad input or a slow peer only aborts that stream.
 *
 * @example
 * await serveContent(node, { get: (cid) => contentStore.get(cid) });
 */
export async function serveContent(net: AicNetwork, source: ContentSource): Promise<void> {
  await net.libp2p.handle(
    CONTENT_PROTOCOL,
    async (stream) => {
      try {
        await answer(stream, source, AbortSignal.timeout(CONTENT_LIMITS.exchangeTimeoutMs));
      } catch (error) {
        stream.abort(error instanceof Error ? error : new Error('content exchange failed'));
      }
    },
    { maxInboundStreams: CONTENT_LIMITS.maxInboundStreams, force: true },
  );
}

/** Stops serving content. */
export async function stopServingContent(net: AicNetwork): Promise<void> {
  await net.libp2p.unhandle(CONTENT_PROTOCOL);
}
