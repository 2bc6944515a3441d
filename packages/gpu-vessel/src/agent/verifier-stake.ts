/**
 * A `--verifier` node stakes before it is drawn (issue 15: verifiers are drawn among the staked, and a verdict
 * proven wrong costs stake). At start it tops its verifier stake up to the contract's minimum — registering with
 * the minimum if it never staked — paying by permit, as a provider stakes. A node still unbonding says so and is
 * not drawn.
 */
import type { AgentContext } from './context.ts';

/** Registers or tops up this node's verifier stake to the minimum; resolves to the stake now held (wei). */
export async function ensureVerifierStake(ctx: AgentContext): Promise<bigint> {
  const { ledger, log } = ctx;
  const me = ledger.account();
  const { minStake } = await ledger.market.read.verifierTerms();
  const record = await ledger.market.read.verifierOf([me]);
  if (record.registered && record.exitAt !== 0) {
    log.warn({ exitAt: record.exitAt }, 'verifier stake is unbonding: this node is not drawn');
    return record.stake;
  }
  if (record.registered && record.stake >= minStake) return record.stake;
  const amount = record.registered ? minStake - record.stake : minStake;
  const permit = await ledger.signPermit(ledger.market.address, amount);
  await ctx.send(() =>
    record.registered
      ? ledger.confirm('addVerifierStake', () => ledger.market.write.addVerifierStake([amount, permit]))
      : ledger.confirm('registerVerifier', () => ledger.market.write.registerVerifier([amount, permit])),
  );
  log.info({ stakeWei: String(record.stake + amount) }, 'verifier staked');
  return record.stake + amount;
}
