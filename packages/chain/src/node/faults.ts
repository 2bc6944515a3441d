/**
 * Test-only proposer misbehaviour (never set in production), like the repo's other AIC_FAULT_* switches:
 * - `bad-ticket`: the seal's VRF proof is corrupted (its ticket no longer verifies);
 * - `bad-state-root`: the header claims a wrong state root, sealed correctly (a provable invalid block);
 * - `equivocate`: two different valid-looking blocks for one slot, both sealed;
 * - `unverified-work` / `others-work`: the ticket names a job that is not verified work (one that does not exist) or
 *   another validator's verified job (consensus-adapter.ts draws it; the block is sealed honestly);
 * - `outside-set`: the node draws bootstrap tickets as a genesis validator even after it left the epoch's validator
 *   set (slashed, exited), and seals them honestly.
 * Honest nodes must refuse all but `equivocate`, and report `bad-state-root` and `equivocate` as slashing evidence.
 */
import { RLP } from '@ethereumjs/rlp';
import type { PovBlock } from '../exec/block-types.ts';
import type { ValidatorChain, WonTicket } from './ports.ts';

export const POV_FAULTS = [
  'bad-ticket',
  'bad-state-root',
  'equivocate',
  'unverified-work',
  'others-work',
  'outside-set',
] as const;
export type PovFault = (typeof POV_FAULTS)[number];

/** The faults that live in the ticket itself (the consensus adapter's), not in how the block is sealed. */
export function isTicketFault(fault: PovFault | undefined): fault is 'unverified-work' | 'others-work' | 'outside-set' {
  return fault === 'unverified-work' || fault === 'others-work' || fault === 'outside-set';
}

/** Reads AIC_FAULT_POV_PROPOSER (one of POV_FAULTS); anything else is no fault. */
export function povFaultFromEnv(env: NodeJS.ProcessEnv = process.env): PovFault | undefined {
  const v = env.AIC_FAULT_POV_PROPOSER;
  return POV_FAULTS.find((f) => f === v);
}

/** Header RLP field indexes (Ethereum's order). */
const STATE_ROOT = 3;

function withHeaderField(header: Uint8Array, index: number, value: Uint8Array): Uint8Array {
  const fields = RLP.decode(header) as Uint8Array[];
  fields[index] = value;
  return RLP.encode(fields);
}

/** Seals `built` honestly, or as the fault says; returns the block(s) to gossip. */
export async function applyProposerFault(
  fault: PovFault | undefined,
  built: PovBlock,
  chain: ValidatorChain,
  ticket: WonTicket,
  rebuild: () => Promise<PovBlock>,
): Promise<PovBlock[]> {
  const seal = async (block: PovBlock): Promise<PovBlock> => ({
    ...block,
    seal: await ticket.seal(chain.decodeHeader(block)),
  });
  if (fault === undefined || isTicketFault(fault)) return [await seal(built)];
  if (fault === 'bad-ticket') {
    const sealed = await seal(built);
    const corrupted = new Uint8Array(sealed.seal);
    // Flip bits in the middle of the seal (the VRF proof), leaving its RLP framing readable.
    const mid = Math.floor(corrupted.length / 2);
    for (let i = mid; i < Math.min(corrupted.length, mid + 4); i++) corrupted[i] = (corrupted[i] ?? 0) ^ 0xff;
    return [{ ...sealed, seal: corrupted }];
  }
  if (fault === 'bad-state-root') {
    const wrongRoot = new Uint8Array(32).fill(0xab);
    return [await seal({ ...built, header: withHeaderField(built.header, STATE_ROOT, wrongRoot) })];
  }
  // equivocate: the honest block and a second valid one for the same slot (built one second later: another header).
  return [await seal(built), await seal(await rebuild())];
}
