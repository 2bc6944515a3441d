import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { type GossipSub, gossipsub, StrictNoSign } from '@libp2p/gossipsub';
import { identify } from '@libp2p/identify';
import type { Libp2p, Stream } from '@libp2p/interface';
import { tcp } from '@libp2p/tcp';
import { lpStream } from '@libp2p/utils';
import { multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import { generatePrivateKey } from 'viem/accounts';
import { GOSSIP_TOPICS, libp2pPrivateKeyFromRaw } from '../../src/index.ts';
import { cborDecode, cborEncode } from '../../src/wire/cbor.ts';
import { sealEnvelope } from '../../src/wire/envelope.ts';
import { providerOfferSpec } from '../../src/wire/messages/provider-offer.ts';
import { createWireSigner, type WireSigner } from '../../src/wire/signature.ts';
import { sampleOffer } from './fixtures.ts';

/**
 * A raw libp2p node driven by hand: it speaks gossipsub and AIC stream protocols but publishes whatever bytes the
 * test gives it, with a key of its own (so it can also sign perfectly valid envelopes).
 */
export class HostilePeer {
  readonly signer: WireSigner;
  #seq = 1;

  private constructor(
    readonly libp2p: Libp2p<{ pubsub: GossipSub }>,
    privateKey: `0x${string}`,
  ) {
    this.signer = createWireSigner(privateKey);
  }

  static async create(): Promise<HostilePeer> {
    const key = generatePrivateKey();
    const libp2p = await createLibp2p({
      privateKey: libp2pPrivateKeyFromRaw(key),
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: {
        identify: identify(),
        pubsub: gossipsub({ globalSignaturePolicy: StrictNoSign, allowPublishToZeroTopicPeers: true, emitSelf: false }),
      },
    });
    libp2p.services.pubsub.subscribe(GOSSIP_TOPICS.offers);
    return new HostilePeer(libp2p, key);
  }

  async dial(addr: string): Promise<void> {
    await this.libp2p.dial(multiaddr(addr), { signal: AbortSignal.timeout(5_000) });
  }

  /** Publishes raw bytes on the offers topic. */
  async publishRaw(bytes: Uint8Array): Promise<void> {
    await this.libp2p.services.pubsub.publish(GOSSIP_TOPICS.offers, bytes);
  }

  /** A correctly signed offer envelope with chosen seq/timestamp. */
  signedOffer(options: { seq?: number; timestampMs?: number; offerId?: string } = {}): Uint8Array {
    return sealEnvelope(
      this.signer,
      {
        type: providerOfferSpec.type,
        seq: options.seq ?? this.#seq++,
        timestampMs: options.timestampMs ?? Date.now(),
        body: providerOfferSpec.toWire(sampleOffer(options.offerId ?? `hostile-${this.#seq}`)),
      },
      Number.MAX_SAFE_INTEGER,
    );
  }

  /** An envelope signed by another key that claims to come from this peer. */
  badlySignedOffer(): Uint8Array {
    const other = createWireSigner(generatePrivateKey());
    const forged = cborDecode(
      sealEnvelope(
        other,
        {
          type: providerOfferSpec.type,
          seq: this.#seq++,
          timestampMs: Date.now(),
          body: providerOfferSpec.toWire(sampleOffer('forged')),
        },
        Number.MAX_SAFE_INTEGER,
      ),
    ) as Record<string, unknown>;
    return cborEncode({ ...forged, from: this.signer.addressBytes });
  }

  /** An oversized but otherwise valid offer (many cached dataset ids). */
  oversizedOffer(): Uint8Array {
    return sealEnvelope(
      this.signer,
      {
        type: providerOfferSpec.type,
        seq: this.#seq++,
        timestampMs: Date.now(),
        body: providerOfferSpec.toWire(
          sampleOffer('big', { cachedDatasetIds: Array.from({ length: 250 }, (_, i) => `${i}`.padEnd(120, 'd')) }),
        ),
      },
      Number.MAX_SAFE_INTEGER,
    );
  }

  /** A request envelope of `type` with an empty body, signed by `signer` (default: this peer). */
  signedRequest(type: string, options: { seq?: number; signer?: WireSigner } = {}): Uint8Array {
    return sealEnvelope(
      options.signer ?? this.signer,
      { type, seq: options.seq ?? this.#seq++, timestampMs: Date.now(), body: {} },
      Number.MAX_SAFE_INTEGER,
    );
  }

  /**
   * Sends raw bytes as one length-prefixed request on a new stream and resolves to the response bytes, or to
   * undefined when the server resets the stream instead of answering.
   */
  async sendRequest(peerAddr: string, protocol: string, bytes: Uint8Array): Promise<Uint8Array | undefined> {
    const connection = await this.libp2p.dial(multiaddr(peerAddr));
    const stream = await connection.newStream(protocol, { signal: AbortSignal.timeout(5_000) });
    const lp = lpStream(stream);
    try {
      await lp.write(bytes, { signal: AbortSignal.timeout(5_000) });
      return (await lp.read({ signal: AbortSignal.timeout(5_000) })).subarray();
    } catch {
      return undefined;
    }
  }

  /** Opens `count` streams on `protocol` to `peerAddr`, writes half a length prefix on each, and holds them open. */
  async openIdleStreams(peerAddr: string, protocol: string, count: number): Promise<Stream[]> {
    const connection = await this.libp2p.dial(multiaddr(peerAddr));
    const streams: Stream[] = [];
    for (let i = 0; i < count; i++) {
      try {
        const stream = await connection.newStream(protocol, { signal: AbortSignal.timeout(5_000) });
        // A length prefix announcing 64 bytes and then nothing: the server waits for a request that never comes.
        stream.send(Uint8Array.from([0x40]));
        streams.push(stream);
      } catch {
        // A reset stream is expected once over the limit; a closed connection means we were banned.
        if (connection.status !== 'open') break;
      }
    }
    return streams;
  }

  async stop(): Promise<void> {
    await this.libp2p.stop();
  }
}
