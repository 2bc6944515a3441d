/**
 * `node --import tsx sim/pov.ts [--epochs N] [--seed S]`: the Proof-of-Value adversarial simulation (issue 8).
 * Prints, per attack, the attacker's expected profit per epoch and the honest contributors' share of PoV rewards;
 * last line: {"sim":"pov","minAttackProfit":..,"maxAttackProfit":..,"honestShare":..} (profits in AIC per epoch).
 */
import '@aic/core/polyfills';
import { runPovSimulation } from '@aic/rating/simulation';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const epochs = Number(option('epochs', '30'));
const seed = BigInt(option('seed', '8'));
const started = performance.now();
const report = runPovSimulation({ seed, epochs });
console.log(`PoV simulation: ${epochs} epochs, seed ${seed}, ledger minimal preset (fees 2.5 %, 1,000,000 AIC/epoch)`);
for (const a of report.attacks) {
  const verdict = a.profitAicPerEpoch < 0 ? 'loses' : 'PROFITS';
  console.log(
    `  ${a.name.padEnd(48)} profit ${a.profitAicPerEpoch.toFixed(2).padStart(12)} AIC/epoch (${verdict}), ` +
      `rewards ${a.rewardsAicPerEpoch.toFixed(2)} AIC/epoch, honest share ${(a.honestShare * 100).toFixed(2)} % ` +
      `(attacker addresses hold ${(a.attackerAddressShare * 100).toFixed(2)} %)`,
  );
}
console.log(`  all attacks at once: honest share ${(report.combinedHonestShare * 100).toFixed(2)} %`);
console.log(
  `  emission not backed by verified value (scored to the sink, stays in the pool): ${(report.sinkShareOfEmission * 100).toFixed(2)} %`,
);
console.log(`  ran in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(JSON.stringify(report.summary));
