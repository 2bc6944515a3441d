import { z } from 'zod';
import { WIRE_LIMITS } from '../../limits.ts';
import type { MessageSpec, VerifiedMessage } from '../message-spec.ts';
import { assetId, bytes32Hex } from './fields.ts';

/** Gossip message: a provider tells the network that a job's result and checkpoint commitments are on chain. */
const resultNoticeWireSchema = z.strictObject({
  jobId: bytes32Hex,
  /** CID of the result (weights, metrics). */
  resultCid: assetId,
  /** Merkle root over the checkpoint commitments c_i (DESIGN.md §5). */
  checkpointRoot: bytes32Hex,
  /** Transaction that committed it, so listeners can check the chain. */
  commitTx: bytes32Hex,
});

export type ResultNotice = z.output<typeof resultNoticeWireSchema>;

export const resultNoticeSpec: MessageSpec<ResultNotice> = {
  type: 'aic/result-notice/1',
  maxBytes: WIRE_LIMITS.resultNoticeBytes,
  schema: resultNoticeWireSchema,
  toWire: (notice) => notice,
};

export interface ResultNoticeEventDetail extends VerifiedMessage<ResultNotice> {
  relayedBy: string;
}

/** Handler: nothing to filter yet; the listener checks the chain before trusting the notice. */
export function handleResultNotice(message: VerifiedMessage<ResultNotice>, relayedBy: string): ResultNoticeEventDetail {
  return { ...message, relayedBy };
}
