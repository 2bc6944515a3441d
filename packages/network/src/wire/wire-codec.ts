import { NetworkError } from '../errors.ts';
import { openEnvelope, sealEnvelope } from './envelope.ts';
import type { MessageSpec, VerifiedMessage } from './message-spec.ts';
import { ReplayGuard, type ReplayGuardInit } from './replay-guard.ts';
import { SignatureVerifier, type WireSigner } from './signature.ts';

export interface WireCodecInit {
  signer: WireSigner;
  /** Clock in unix ms; injectable for tests. */
  now?: () => number;
  replay?: ReplayGuardInit;
}

/**
 * Seals outbound messages (signature, increasing sequence number) and opens inbound ones through the whole
 * boundary check: size → CBOR → envelope → signature → freshness → replay → body schema. Nothing that fails a
 * step reaches a handler; the thrown NetworkError's code says which step failed (for peer scoring).
 */
export class WireCodec {
  readonly #signer: WireSigner;
  readonly #now: () => number;
  readonly #replay: ReplayGuard;
  readonly #verifier = new SignatureVerifier();
  // Starts from the clock (µs) so a restarted node never reuses a (sender, seq) pair still inside the window.
  #nextSeq: number;

  constructor(init: WireCodecInit) {
    this.#signer = init.signer;
    this.#now = init.now ?? Date.now;
    this.#replay = new ReplayGuard(init.replay);
    this.#nextSeq = this.#now() * 1000;
  }

  get address() {
    return this.#signer.address;
  }

  /** Signs `value` as a message of `spec`; throws NETWORK_MESSAGE_TOO_LARGE / NETWORK_MESSAGE_MALFORMED. */
  seal<T>(spec: MessageSpec<T>, value: T): Uint8Array {
    const body = spec.toWire(value);
    if (!spec.schema.safeParse(body).success) {
      throw new NetworkError('NETWORK_MESSAGE_MALFORMED', `outbound ${spec.type} does not match its schema`, {
        details: { type: spec.type },
      });
    }
    return sealEnvelope(
      this.#signer,
      { type: spec.type, seq: this.#nextSeq++, timestampMs: this.#now(), body },
      spec.maxBytes,
    );
  }

  /** Opens and fully validates inbound bytes; a message is accepted at most once. */
  open<T>(spec: MessageSpec<T>, bytes: Uint8Array): VerifiedMessage<T> {
    const envelope = openEnvelope(bytes, spec.type, spec.maxBytes, this.#verifier);
    const nowMs = this.#now();
    const verdict = this.#replay.check(envelope.sender, envelope.seq, envelope.timestampMs, nowMs);
    if (verdict !== 'fresh') {
      const code = verdict === 'replayed' ? 'NETWORK_REPLAYED_MESSAGE' : 'NETWORK_STALE_MESSAGE';
      throw new NetworkError(code, `${spec.type} message is ${verdict}`, {
        details: { type: spec.type, sender: envelope.sender, seq: envelope.seq },
      });
    }
    const body = spec.schema.safeParse(envelope.body);
    if (!body.success) {
      throw new NetworkError('NETWORK_MESSAGE_MALFORMED', `${spec.type} body does not match its schema`, {
        details: { type: spec.type, sender: envelope.sender, issues: body.error.issues.length },
      });
    }
    this.#replay.remember(envelope.sender, envelope.seq, envelope.timestampMs, nowMs);
    return { payload: body.data, sender: envelope.sender, seq: envelope.seq, timestampMs: envelope.timestampMs };
  }
}
