/**
 * Collects what ComputeMarket accrues for this node's account (issue 15: settlement accrues instead of paying, to
 * save gas): the usage fees of the assets it owns (claimAssetFees: to it, or split through Payroll for an asset with
 * lineage) and, when the account is the treasury, the protocol fees (sweepProtocolFees). One claim per asset covers
 * every job settled since the last, so it runs on an interval and only above a floor, not once per job.
 */
import type { LedgerClient } from '@aic/ledger';
import { getAddress } from 'viem';
import type { RunningService } from './republisher.ts';

export type MarketIncomeLedger = Pick<LedgerClient, 'market' | 'registry' | 'confirm' | 'account'>;

export interface MarketIncomeInit {
  intervalMs: number;
  /** Smallest accrued amount worth a claim transaction (0: claim whatever accrued). */
  minClaimWei: bigint;
}

export interface MarketIncomeComponents {
  /** Connected on first use (a node may start before the chain's deployment file exists); a failure is retried. */
  ledger: () => Promise<MarketIncomeLedger>;
  log: { info(obj: object, msg: string): void; debug(obj: object, msg: string): void };
}

/** One pass: claims every owned asset's fees at or above the floor and sweeps the protocol fees for the treasury.
 * Returns what it claimed (asset ids) and swept (wei). */
export async function collectMarketIncomeOnce(
  init: Pick<MarketIncomeInit, 'minClaimWei'>,
  c: MarketIncomeComponents,
): Promise<{ claimedAssetIds: bigint[]; sweptWei: bigint }> {
  const ledger = await c.ledger();
  const me = getAddress(ledger.account());
  const floor = init.minClaimWei > 0n ? init.minClaimWei : 1n;
  const claimedAssetIds: bigint[] = [];
  const minted = await ledger.registry.read.totalMinted();
  for (let assetId = 1n; assetId <= minted; assetId++) {
    const feesWei = await ledger.market.read.assetFees([assetId]);
    if (feesWei < floor) continue;
    const [owner] = await ledger.registry.read.payeeOf([assetId]);
    if (getAddress(owner) !== me) continue;
    await ledger.confirm('ComputeMarket.claimAssetFees', () => ledger.market.write.claimAssetFees([assetId]));
    c.log.info({ assetId: String(assetId), feesWei: String(feesWei) }, 'claimed accrued asset fees');
    claimedAssetIds.push(assetId);
  }
  const [[, treasury], accrued] = await Promise.all([
    ledger.market.read.params(),
    ledger.market.read.protocolFeesAccrued(),
  ]);
  if (getAddress(treasury) !== me || accrued < floor) return { claimedAssetIds, sweptWei: 0n };
  await ledger.confirm('ComputeMarket.sweepProtocolFees', () => ledger.market.write.sweepProtocolFees());
  c.log.info({ sweptWei: String(accrued) }, 'swept protocol fees to the treasury');
  return { claimedAssetIds, sweptWei: accrued };
}

/** Runs {@link collectMarketIncomeOnce} now and every `intervalMs`; `stop()` clears the timer and waits for a pass in
 * flight. A failed pass is logged at debug and retried on the next tick (a claim that reverted changed nothing). */
export function startMarketIncomeCollection(init: MarketIncomeInit, c: MarketIncomeComponents): RunningService {
  let inFlight: Promise<void> = Promise.resolve();
  let running = false;
  const run = () => {
    if (running) return; // a slow chain: never two passes at once (they would claim the same asset twice)
    running = true;
    inFlight = collectMarketIncomeOnce(init, c)
      .then(() => undefined)
      .catch((err: unknown) => c.log.debug({ err: String(err) }, 'market income collection failed'))
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(run, init.intervalMs);
  run();
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
