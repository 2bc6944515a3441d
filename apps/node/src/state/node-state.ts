import { z } from 'zod';
import { type JobAnnouncement, jobAnnouncementSchema, type Offer, offerSchema } from '../api/schemas.ts';

// The files under <dataDir>/node/ (README "Data directory"). Pure shapes and updates; I/O is in persisted-value.ts.

export const identityFileSchema = z.object({
  address: z.string(),
  peerId: z.string(),
  createdAt: z.string(),
});
export type IdentityFile = z.infer<typeof identityFileSchema>;

export const knownPeerSchema = z.object({
  peerId: z.string(),
  address: z.string().optional(),
  multiaddrs: z.array(z.string()),
  lastSeenMs: z.number().int(),
});
export const peersFileSchema = z.object({ peers: z.array(knownPeerSchema) });
export type KnownPeer = z.infer<typeof knownPeerSchema>;

export const offersFileSchema = z.object({ own: z.array(offerSchema), received: z.array(offerSchema) });
export type OffersFile = z.infer<typeof offersFileSchema>;

export const jobsFileSchema = z.object({
  own: z.array(jobAnnouncementSchema),
  received: z.array(jobAnnouncementSchema),
});
export type JobsFile = z.infer<typeof jobsFileSchema>;

/** Bounds so a flood of valid-looking gossip cannot grow the state files without limit. */
export const STATE_LIMITS = { receivedOffers: 10_000, receivedAnnouncements: 10_000, knownPeers: 1_000 } as const;

/** How to key and expire one kind of gossip item (offers expire at `expiresAtMs`, jobs at `deadlineMs`). */
export interface ItemPolicy<T> {
  keyOf(item: T): string;
  expiresAtMs(item: T): number;
  limit: number;
}

export const offerPolicy: ItemPolicy<Offer> = {
  // One provider's newer offer with the same id replaces the older one.
  keyOf: (o) => `${o.provider}/${o.offerId}`,
  expiresAtMs: (o) => o.expiresAtMs,
  limit: STATE_LIMITS.receivedOffers,
};

export const jobPolicy: ItemPolicy<JobAnnouncement> = {
  keyOf: (j) => `${j.requester}/${j.jobId}`,
  expiresAtMs: (j) => j.deadlineMs,
  limit: STATE_LIMITS.receivedAnnouncements,
};

/** Drops expired entries. */
export function unexpired<T>(items: readonly T[], policy: ItemPolicy<T>, nowMs: number): T[] {
  return items.filter((item) => policy.expiresAtMs(item) > nowMs);
}

/**
 * Inserts or replaces an item by key, drops expired ones, and keeps at most `policy.limit`
 * (those expiring soonest go first).
 */
export function upsertBounded<T>(items: readonly T[], item: T, policy: ItemPolicy<T>, nowMs: number): T[] {
  const key = policy.keyOf(item);
  const next = unexpired(items, policy, nowMs).filter((x) => policy.keyOf(x) !== key);
  next.push(item);
  if (next.length <= policy.limit) return next;
  return next.sort((a, b) => policy.expiresAtMs(b) - policy.expiresAtMs(a)).slice(0, policy.limit);
}

/** Records that a peer was seen with these addresses; keeps the most recent `limit` peers. */
export function rememberPeer(peers: readonly KnownPeer[], peer: KnownPeer, limit: number): KnownPeer[] {
  const others = peers.filter((p) => p.peerId !== peer.peerId);
  const multiaddrs =
    peer.multiaddrs.length > 0 ? peer.multiaddrs : (peers.find((p) => p.peerId === peer.peerId)?.multiaddrs ?? []);
  return [...others, { ...peer, multiaddrs }].sort((a, b) => b.lastSeenMs - a.lastSeenMs).slice(0, limit);
}
