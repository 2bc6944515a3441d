/**
 * The all-reduce links of one rank over libp2p raw streams (`/aic/msmg/1.0.0`): one outbound stream to each other
 * rank, opened with a hello (group key ‖ u16 rank) and then carrying length-prefixed frames in send order. An inbound
 * stream is accepted only from the PeerId the group names for the rank it claims (Noise-authenticated), so a stranger
 * cannot inject gradients. A lost peer (its stream ends or resets, or no frame within the timeout) fails every
 * receive with MSMG_PEER_LOST: the group's supervisor then replaces it from the last checkpoint.
 */
import { AicError, retry } from '@aic/core';
import type { AicNetwork } from '@aic/network';
import { lpStream } from '@libp2p/utils';
import type { RankLinks } from './chain-all-reduce.ts';
import { decodeFrame, encodeFrame, FRAME_HEADER_BYTES, type Frame } from './frames.ts';

export const MSMG_PROTOCOL = '/aic/msmg/1.0.0';
const HELLO_BYTES = 34;

export interface GroupMember {
  readonly rank: number;
  readonly peerId: string;
  /** A dialable multiaddr ending in /p2p/<peerId>. */
  readonly multiaddr: string;
}

export interface GroupLinksInit {
  /** 32 bytes naming the group (job and attempt): streams of another group are refused. */
  readonly groupKey: Uint8Array;
  readonly rank: number;
  readonly members: readonly GroupMember[];
  readonly maxFrameFloats: number;
  /** A peer silent this long while a frame is awaited counts as lost. */
  readonly frameTimeoutMs: number;
  /** How long to keep dialing peers that are not up yet. */
  readonly connectTimeoutMs: number;
}

export interface GroupLinks extends RankLinks {
  /** Bytes this rank wrote to its streams so far (frames and their length prefixes). */
  readonly bytesSent: () => number;
  /** Resolves once every rank has reached it: all frames sent before it were received (streams are FIFO). */
  barrier(): Promise<void>;
  close(): Promise<void>;
}

const BARRIER_STEP = 0xffff_ffff;

type Stream = Awaited<ReturnType<AicNetwork['openStream']>>;

/** Frames from one peer, in order, handed to whoever awaits them. */
class Inbox {
  private readonly frames: Frame[] = [];
  private waiter: { resolve: (f: Frame) => void; reject: (e: unknown) => void } | undefined;
  private failure: AicError | undefined;
  push(frame: Frame) {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve(frame);
    } else this.frames.push(frame);
  }
  fail(error: AicError) {
    this.failure ??= error;
    this.waiter?.reject(this.failure);
    this.waiter = undefined;
  }
  next(timeoutMs: number, rank: number): Promise<Frame> {
    const ready = this.frames.shift();
    if (ready) return Promise.resolve(ready);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new AicError('MSMG_PEER_LOST', `rank ${rank} sent nothing for ${timeoutMs} ms`, { details: { rank } }));
      }, timeoutMs);
      this.waiter = {
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }
}

const lost = (rank: number, cause?: unknown) =>
  new AicError('MSMG_PEER_LOST', `the link with rank ${rank} is gone`, { details: { rank }, cause });

function hello(groupKey: Uint8Array, rank: number): Uint8Array {
  const out = new Uint8Array(HELLO_BYTES);
  out.set(groupKey);
  new DataView(out.buffer).setUint16(32, rank, false);
  return out;
}

const varintLength = (n: number) => (n < 128 ? 1 : n < 16_384 ? 2 : n < 2_097_152 ? 3 : 4);

/** Registers the protocol on `net` and connects this rank to every other; resolves once all outbound streams are up. */
export async function openGroupLinks(net: AicNetwork, init: GroupLinksInit): Promise<GroupLinks> {
  const { groupKey, rank, members } = init;
  if (groupKey.length !== 32) throw new AicError('MSMG_PROTOCOL_ERROR', 'a group key is 32 bytes');
  const inboxes = new Map(members.filter((m) => m.rank !== rank).map((m) => [m.rank, new Inbox()]));
  const maxDataLength = FRAME_HEADER_BYTES + 4 * init.maxFrameFloats;
  const streams: Stream[] = [];
  let sent = 0;
  let closed = false;

  await net.handleStream(
    MSMG_PROTOCOL,
    async (stream, remote) => {
      streams.push(stream);
      const lp = lpStream(stream, { maxDataLength: Math.max(HELLO_BYTES, maxDataLength) });
      let from = -1;
      try {
        const h = (await lp.read({ signal: AbortSignal.timeout(init.connectTimeoutMs) })).subarray();
        from = h.length === HELLO_BYTES ? new DataView(h.buffer, h.byteOffset, h.length).getUint16(32, false) : -1;
        const member = members.find((m) => m.rank === from);
        const sameGroup = h.length === HELLO_BYTES && Buffer.from(h.subarray(0, 32)).equals(Buffer.from(groupKey));
        if (!sameGroup || !member || member.peerId !== remote.peerId || from === rank) {
          stream.abort(new Error('not a member of this group'));
          return;
        }
        const inbox = inboxes.get(from) as Inbox;
        for (;;) inbox.push(decodeFrame((await lp.read()).subarray()));
      } catch (error) {
        if (from >= 0) inboxes.get(from)?.fail(lost(from, error));
        if (!closed) stream.abort(error instanceof Error ? error : new Error('msmg stream failed'));
      }
    },
    { maxInboundStreams: members.length + 4 },
  );

  const outbound = new Map<number, { lp: ReturnType<typeof lpStream>; tail: Promise<void> }>();
  await Promise.all(
    members
      .filter((m) => m.rank !== rank)
      .map(async (m) => {
        const stream = await retry(
          () => net.openStream(m.multiaddr, MSMG_PROTOCOL, { signal: AbortSignal.timeout(5_000) }),
          {
            attempts: Number.POSITIVE_INFINITY,
            deadlineMs: init.connectTimeoutMs,
            baseMs: 100,
            maxMs: 1_000,
          },
        ).catch((cause) => {
          throw lost(m.rank, cause);
        });
        streams.push(stream);
        const lp = lpStream(stream, { maxDataLength });
        await lp.write(hello(groupKey, rank));
        outbound.set(m.rank, { lp, tail: Promise.resolve() });
      }),
  );

  const links: GroupLinks = {
    bytesSent: () => sent,
    async send(to, frame) {
      const link = outbound.get(to);
      if (!link) throw lost(to);
      const bytes = encodeFrame(frame);
      // frames to one peer stay in send order: each write waits for the one before
      const write = link.tail.then(async () => {
        await link.lp.write(bytes);
        sent += bytes.length + varintLength(bytes.length);
      });
      link.tail = write.catch(() => {});
      await write.catch((cause) => {
        throw lost(to, cause);
      });
    },
    async barrier() {
      const others = members.filter((m) => m.rank !== rank).map((m) => m.rank);
      const mark = { step: BARRIER_STEP, phase: 0 as const, offset: 0, floats: new Float32Array(0) };
      await Promise.all(others.map((t) => links.send(t, mark)));
      for (const t of others) {
        const frame = await links.receive(t);
        if (frame.step !== BARRIER_STEP)
          throw new AicError('MSMG_PROTOCOL_ERROR', `rank ${t} sent a frame past the end`);
      }
    },
    receive(from) {
      const inbox = inboxes.get(from);
      if (!inbox) return Promise.reject(lost(from));
      return inbox.next(init.frameTimeoutMs, from);
    },
    async close() {
      closed = true;
      await net.unhandle(MSMG_PROTOCOL).catch(() => {});
      await Promise.all(streams.map((s) => s.close().catch(() => s.abort(new Error('closed')))));
    },
  };
  return links;
}
