import type { AicNetwork } from '@aic/network';

/** Why a holder is reported: what it served that the worker proved wrong. */
export type BadHolderReason =
  /** A sealed chunk failed AES-GCM under the dataset key (tampered, misplaced, wrong dataset). */
  | 'chunk-auth-failed'
  /** A chunk that opened but has the wrong length for its place in the shard. */
  | 'chunk-length-mismatch'
  /** An answer that breaks the protocol (malformed, or to a request never made). */
  | 'malformed-response'
  /** Chunks that opened under the key but whose shard did not match its Merkle root; proven by refetching them elsewhere. */
  | 'shard-root-mismatch'
  /** Content whose bytes do not hash to the CID asked for. */
  | 'content-hash-mismatch'
  /** Content larger than the caller's bound, or a malformed content answer. */
  | 'content-invalid';

/** Told of each holder caught serving bad data (once per holder and fetch), with its PeerId string. */
export type OnBadHolder = (holder: string, reason: BadHolderReason) => void;

/**
 * The reporter a fetch uses: lowers the holder's app-level peer score on this node's network (repeated offences ban
 * it) and then tells `onBadHolder`, at most once per holder. A throwing callback does not break the fetch.
 */
export function badHolderReporter(net: AicNetwork, onBadHolder?: OnBadHolder): OnBadHolder {
  const reported = new Set<string>();
  return (holder, reason) => {
    if (reported.has(holder)) return;
    reported.add(holder);
    try {
      net.penalizePeer(holder, 'protocol-violation', `data-holder/${reason}`);
    } catch {
      // not a PeerId string (e.g. a bare address): nothing to score
    }
    try {
      onBadHolder?.(holder, reason);
    } catch {
      // the caller's bookkeeping must not fail the fetch
    }
  };
}
