/**
 * The coordinator's canary payer keys (issue 15): fresh accounts that escrow canaries, kept like the requester's job
 * payers (payer-accounts.ts) in `<dataDir>/coordinator/canary-payers/`, under a secret derived from the node's own key.
 */
import type { CanaryPayerPort } from '@aic/gpu-vessel';
import { type PayerAccountsInit, payerPortOf } from './payer-accounts.ts';

export function canaryPayerPortOf(init: PayerAccountsInit): CanaryPayerPort {
  return payerPortOf(init, 'canary');
}
