import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { Uint8ArrayList } from 'uint8arraylist';

/**
 * The bulk path's channel protection: the holder hands a fresh 32-byte secret and a ticket over the Noise-secured
 * libp2p stream; both sides derive one AES-256-GCM key per direction from it (HKDF-SHA256, both PeerIds in the
 * info), and every frame on the plain TCP connection is sealed with it, the nonce being the frame's number in its
 * direction. Requests and answer headers are encrypted; chunk bodies (already AES-GCM ciphertext under the dataset
 * key) are authenticated only. So an attacker on the path can neither read which chunks are asked, nor inject,
 * replay, reorder or alter frames unnoticed, nor get a holder blamed for bytes it did not send; it sees the sealed
 * chunks, as a storage provider holding them does. Cost: one GHASH pass per byte (PCLMUL) per side instead of Noise's
 * ChaCha20-Poly1305 per ≤ 64 KiB message plus Yamux framing.
 */

/** Bytes of the frame head: uint32 frame length (after the head) ‖ uint32 length of the authenticated-only part. */
export const BULK_LENGTH_BYTES = 8;
export const BULK_TAG_BYTES = 16;
export const BULK_SECRET_BYTES = 32;
export const BULK_TICKET_BYTES = 16;

/** The two directions' keys of one bulk connection. */
export interface BulkKeys {
  readonly toHolder: Uint8Array;
  readonly toFetcher: Uint8Array;
}

/** Derives the connection's keys; the PeerIds bind them to exactly this holder and this fetcher. */
export function deriveBulkKeys(secret: Uint8Array, ticket: Uint8Array, holder: string, fetcher: string): BulkKeys {
  const okm = new Uint8Array(hkdfSync('sha256', secret, ticket, `aic/data-bulk/1|${holder}|${fetcher}`, 64));
  return { toHolder: okm.subarray(0, 32), toFetcher: okm.subarray(32, 64) };
}

function nonceOf(counter: number): Uint8Array {
  const nonce = new Uint8Array(12);
  new DataView(nonce.buffer).setBigUint64(4, BigInt(counter), false);
  return nonce;
}

const byteLength = (parts: readonly Uint8Array[]) => parts.reduce((n, p) => n + p.byteLength, 0);

/**
 * Seals one direction's frames in order (the nonce is the frame counter: frames must be written as sealed). A frame
 * is head ‖ clear ‖ ciphertext ‖ tag: `secret` parts are encrypted, `clear` parts only authenticated (GCM AAD, with
 * the head). Chunk bodies go as `clear`: they are ciphertext under the dataset key already, so a second encryption
 * would buy nothing but an allocation, a copy and a CTR pass per byte (~7x GMAC's cost in node).
 */
export class FrameSealer {
  #counter = 0;
  constructor(private readonly key: Uint8Array) {}

  /** The frame's pieces to write in order: head, each clear part as given (no copy), ciphertext, tag. */
  seal(secret: readonly Uint8Array[], clear: readonly Uint8Array[] = []): Uint8Array[] {
    const clearLength = byteLength(clear);
    const head = new Uint8Array(BULK_LENGTH_BYTES);
    const view = new DataView(head.buffer);
    view.setUint32(0, clearLength + byteLength(secret) + BULK_TAG_BYTES, false);
    view.setUint32(4, clearLength, false);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonceOf(this.#counter++));
    cipher.setAAD(head);
    for (const part of clear) cipher.setAAD(part);
    const out: Uint8Array[] = [head, ...clear];
    for (const part of secret) out.push(cipher.update(part));
    const last = cipher.final();
    if (last.byteLength > 0) out.push(last);
    out.push(cipher.getAuthTag());
    return out;
  }
}

/** Why a frame reader gave up: a frame too long for its direction, or one that fails authentication. */
export type FrameFailure = 'frame-too-long' | 'frame-auth-failed';

/**
 * Reads one direction's frames from a byte stream as it arrives: `push` the received bytes (copied at once, so the
 * caller may reuse its read buffer: the socket reads into one static buffer, no allocation per read), get back the
 * opened frames (the decrypted secret part, then the clear part: two pieces, the clear one a view of the frame's own
 * buffer), or a failure after which the connection must end.
 */
export class FrameOpener {
  readonly #head = new Uint8Array(BULK_LENGTH_BYTES);
  #headFill = 0;
  #frame: Uint8Array | undefined;
  #frameFill = 0;
  #clearLength = 0;
  #counter = 0;
  /** `allocate`: where a frame of `length` bytes is assembled (default a fresh buffer; the fetcher reuses a pool). */
  constructor(
    private readonly key: Uint8Array,
    private readonly maxFrameBytes: number,
    private readonly allocate: (length: number) => Uint8Array = (length) => new Uint8Array(length),
  ) {}

  /** Bytes received and not yet part of an opened frame (at most one frame: each is bounded by maxFrameBytes). */
  get buffered(): number {
    return this.#headFill + this.#frameFill;
  }

  push(data: Uint8Array): { frames: Uint8ArrayList[]; failure?: FrameFailure } {
    const frames: Uint8ArrayList[] = [];
    let at = 0;
    while (at < data.byteLength) {
      if (this.#frame === undefined) {
        const take = Math.min(BULK_LENGTH_BYTES - this.#headFill, data.byteLength - at);
        this.#head.set(data.subarray(at, at + take), this.#headFill);
        this.#headFill += take;
        at += take;
        if (this.#headFill < BULK_LENGTH_BYTES) break;
        const view = new DataView(this.#head.buffer);
        const length = view.getUint32(0, false);
        this.#clearLength = view.getUint32(4, false);
        if (length < BULK_TAG_BYTES || length > this.maxFrameBytes || this.#clearLength > length - BULK_TAG_BYTES) {
          return { frames, failure: 'frame-too-long' };
        }
        this.#frame = this.allocate(length);
        this.#frameFill = 0;
      }
      const frame = this.#frame;
      const take = Math.min(frame.byteLength - this.#frameFill, data.byteLength - at);
      frame.set(data.subarray(at, at + take), this.#frameFill);
      this.#frameFill += take;
      at += take;
      if (this.#frameFill < frame.byteLength) break;
      const opened = this.#open(frame);
      this.#frame = undefined;
      this.#headFill = 0;
      this.#frameFill = 0;
      if (opened === undefined) return { frames, failure: 'frame-auth-failed' };
      frames.push(opened);
    }
    return { frames };
  }

  #open(frame: Uint8Array): Uint8ArrayList | undefined {
    const clear = frame.subarray(0, this.#clearLength);
    const decipher = createDecipheriv('aes-256-gcm', this.key, nonceOf(this.#counter++));
    decipher.setAAD(this.#head);
    if (clear.byteLength > 0) decipher.setAAD(clear);
    decipher.setAuthTag(frame.subarray(frame.byteLength - BULK_TAG_BYTES));
    const secret = decipher.update(frame.subarray(this.#clearLength, frame.byteLength - BULK_TAG_BYTES));
    try {
      decipher.final();
    } catch {
      return undefined;
    }
    return new Uint8ArrayList(secret, clear);
  }
}
