/**
 * Verified work, the input to proposer weights: segments that verifiers re-ran and accepted on this chain, in
 * FLOP-weighted units. The caller (chain-node) reads them from contract events; this file only weighs them.
 *
 * A validator's weight in epoch e = the FLOPs of its work verified in the window
 * [e − lookback − window + 1, e − lookback] (by the epoch of the block that verified it), plus the genesis bootstrap
 * weight when it is a genesis validator (preset `bootstrapWeightFlops`; docs/ARCHITECTURE.md "PoV chain").
 *
 * The bootstrap rule: without a ComputeMarket on the chain the bootstrap weight always counts (`bootstrap: 'always'`,
 * the chain runs on it alone); with one (`'until-work'`), it counts only while no validator has verified work in the
 * window — the genesis epochs and idle spells — so as soon as work exists only work earns tickets.
 */
import { type Address, getAddress } from 'viem';
import type { ConsensusParams } from './params.ts';

/** One accepted segment: whose, of which job/model/session, how much compute, and when it was verified. */
export interface WorkItem {
  readonly nodeAccount: Address;
  readonly jobId: bigint;
  readonly modelId: bigint;
  /** The session (segment / checkpoint index) of the job the verifier accepted. */
  readonly sessionId: bigint;
  readonly flops: bigint;
  /** Epoch of the block whose transaction recorded the verifier's acceptance. */
  readonly verifiedEpoch: bigint;
}

/** A validator of an epoch: its account, whether it is in the genesis set, and the stake that weighs committees. */
export interface ValidatorEntry {
  readonly address: Address;
  readonly genesis: boolean;
  /** Stake (wei) used for committee sampling; validators without one weigh 1 (uniform). */
  readonly stake?: bigint;
}

/** The epochs whose verified work weighs epoch `epoch`'s tickets: `null` while none has passed yet. */
export function workWindow(epoch: bigint, params: ConsensusParams): { fromEpoch: bigint; toEpoch: bigint } | null {
  const toEpoch = epoch - params.lookbackEpochs;
  if (toEpoch < 0n) return null;
  const fromEpoch = toEpoch - params.workWindowEpochs + 1n;
  return { fromEpoch: fromEpoch < 0n ? 0n : fromEpoch, toEpoch };
}

/** The key a ticket names work by. */
export function workKey(nodeAccount: Address, jobId: bigint, modelId: bigint, sessionId: bigint): string {
  return `${nodeAccount.toLowerCase()}:${jobId}:${modelId}:${sessionId}`;
}

/** What the seal check and the prover need to know about one epoch's weights. */
export interface WorkWeights {
  /** By lower-case address: verified FLOPs in the window plus bootstrap. */
  readonly weightOf: ReadonlyMap<string, bigint>;
  readonly totalWeight: bigint;
  /** Work in the window by {@link workKey} (only validators' work). */
  readonly items: ReadonlyMap<string, WorkItem>;
  /** Lower-case addresses of genesis validators (they may draw bootstrap tickets). */
  readonly genesis: ReadonlySet<string>;
  readonly bootstrapWeight: bigint;
}

/**
 * The weights of `epoch` from the validator set and verified work (work outside the window, of accounts that are
 * not validators, or of no FLOPs does not count; a work item listed twice counts once).
 */
export function workWeights(
  epoch: bigint,
  validators: readonly ValidatorEntry[],
  work: readonly WorkItem[],
  params: ConsensusParams,
  bootstrap: 'always' | 'until-work' = 'always',
): WorkWeights {
  const weightOf = new Map<string, bigint>();
  const genesis = new Set<string>();
  for (const v of validators) {
    const key = getAddress(v.address).toLowerCase();
    weightOf.set(key, v.genesis ? params.bootstrapWeightFlops : 0n);
    if (v.genesis) genesis.add(key);
  }
  const items = new Map<string, WorkItem>();
  const window = workWindow(epoch, params);
  for (const item of window === null ? [] : work) {
    // Work comes from chain events: one odd event must not stop every validator from judging tickets, so a
    // zero-FLOP item simply weighs nothing.
    if (item.flops <= 0n) continue;
    if (window === null || item.verifiedEpoch < window.fromEpoch || item.verifiedEpoch > window.toEpoch) continue;
    const owner = item.nodeAccount.toLowerCase();
    const before = weightOf.get(owner);
    const key = workKey(item.nodeAccount, item.jobId, item.modelId, item.sessionId);
    if (before === undefined || items.has(key)) continue;
    items.set(key, item);
    weightOf.set(owner, before + item.flops);
  }
  const withdrawn = bootstrap === 'until-work' && items.size > 0;
  if (withdrawn) {
    // Verified work exists: the bootstrap weight is withdrawn from everyone, and bootstrap tickets are refused.
    for (const key of genesis) weightOf.set(key, (weightOf.get(key) ?? 0n) - params.bootstrapWeightFlops);
    genesis.clear();
  }
  let totalWeight = 0n;
  for (const w of weightOf.values()) totalWeight += w;
  const bootstrapWeight = withdrawn ? 0n : params.bootstrapWeightFlops;
  return { weightOf, totalWeight, items, genesis, bootstrapWeight };
}
