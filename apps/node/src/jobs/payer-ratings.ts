/**
 * Consumer ratings from the accounts that paid (issue 15). A rating weighs by the fee its rater paid for the resource
 * in the same epoch (@aic/rating `votesOf`), and since every job of a node is escrowed by a fresh payer account, the
 * node's main account pays nothing for what its jobs use: a rating sent from it would weigh nothing. So the node rates
 * from each of its accounts — main or job payer — that paid the resource this epoch (each is its own vote, weighed by
 * its own fee), topping a payer's gas up from the main account when needed. Where none paid, it rates from the main
 * account (recorded on chain, weighing nothing, as the contract allows anyone to rate).
 */
import { AicError } from '@aic/core';
import { type FreshPayerPort, openPayer, payerAddresses } from '@aic/gpu-vessel';
import type { LedgerClient } from '@aic/ledger';
import { ratingEventsFromLogs } from '@aic/rating';
import { type Address, getAddress, toHex } from 'viem';

export interface RatingSent {
  rater: Address;
  transactionHash: `0x${string}`;
}

/** The rating engine's name of what is rated: kind 0 asset (token id), 1 GPU provider, 2 storage provider. */
export function resourceOf(kind: 0 | 1 | 2, id: bigint): string {
  if (kind === 0) return `asset:${id}`;
  const address = toHex(id, { size: 20 }).toLowerCase();
  return `${kind === 1 ? 'gpu' : 'storage'}:${address}`;
}

/** Which of `candidates` (lowercased) paid a fee for `resource` in the chain's current epoch. */
export async function paidThisEpoch(ledger: LedgerClient, candidates: readonly string[], resource: string) {
  const [[genesis, epochDurationSec], epoch, logs] = await Promise.all([
    ledger.rewards.read.schedule(),
    ledger.rewards.read.currentEpoch(),
    ledger.fetchLedgerLogs({ fromBlock: 0n }),
  ]);
  const events = ratingEventsFromLogs(logs, { genesis: BigInt(genesis), epochDurationSec: BigInt(epochDurationSec) });
  const wanted = new Set(candidates);
  const paid = new Set<string>();
  for (const e of events) {
    if (e.type !== 'UsagePaid' || e.resource !== resource || e.epoch !== Number(epoch) || e.amountWei <= 0n) continue;
    const payer = e.payer.toLowerCase();
    if (wanted.has(payer)) paid.add(payer);
  }
  return [...paid].sort();
}

/** Gas a rating may cost at most (RewardsPool.rate only emits an event): the top-up keeps twice that. */
const RATE_GAS = 60_000n;

/** Sends `RewardsPool.rate` from every account of this node that paid the resource this epoch (see above). */
export async function rateAsPayers(
  main: LedgerClient,
  payers: FreshPayerPort | undefined,
  rating: { kind: 0 | 1 | 2; id: bigint; rating: number },
): Promise<RatingSent[]> {
  const self = main.account().toLowerCase();
  const candidates = [self, ...(payers ? await payerAddresses(payers) : [])];
  const paid = await paidThisEpoch(main, candidates, resourceOf(rating.kind, rating.id));
  const raters = paid.length > 0 ? paid : [self];
  const sent: RatingSent[] = [];
  for (const rater of raters) {
    const client = rater === self ? main : await payerClient(main, payers, rater);
    const receipt = await client.confirm('RewardsPool.rate', () =>
      client.rewards.write.rate([rating.kind, rating.id, rating.rating]),
    );
    sent.push({ rater: getAddress(rater), transactionHash: receipt.transactionHash });
  }
  return sent;
}

/** A payer's signing client, with gas for one rating (sent from the main account if its gas money ran out). */
async function payerClient(main: LedgerClient, port: FreshPayerPort | undefined, address: string) {
  const payer = port && (await openPayer(port, address));
  if (!payer) throw new AicError('LEDGER_NO_SIGNER', `payer ${address} of this node has no readable key`);
  const { publicClient } = main;
  const need = RATE_GAS * 2n * (await publicClient.getGasPrice());
  const balance = await publicClient.getBalance({ address: payer.address });
  if (balance < need) {
    const wallet = main.walletClient as NonNullable<typeof main.walletClient>;
    await main.confirm('rating gas', () =>
      wallet.sendTransaction({
        account: wallet.account,
        chain: wallet.chain,
        to: payer.address,
        value: need - balance,
      }),
    );
  }
  return payer.ledger;
}
