/** The PoV chain's consensus core (DESIGN.md §10): pure functions and state machines, no I/O. */

export * from './attestation.ts';
export * from './committee.ts';
export * from './digests.ts';
export * from './epoch.ts';
export * from './evidence.ts';
export * from './finality.ts';
export * from './node-id.ts';
export * from './params.ts';
export * from './seal.ts';
export * from './sealing.ts';
export * from './ticket.ts';
export * from './verified-work.ts';
export * from './vrf.ts';
export * from './work.ts';
