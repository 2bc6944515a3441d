import { describe, expect, it } from 'vitest';
import { runPovSimulation } from '../../src/simulation/index.ts';

// One run (about 2 s) shared by every assertion; 30 epochs as in `npm run sim -- pov`.
const report = runPovSimulation({ seed: 8n, epochs: 30 });

describe('Proof-of-Value adversarial simulation', () => {
  it.each(report.attacks.map((a) => [a.name, a] as const))('%s loses money on average', (_name, attack) => {
    expect(attack.profitAicPerEpoch).toBeLessThan(0);
  });

  it('covers every attack of the design', () => {
    expect(report.attacks.map((a) => a.name.split(' (')[0])).toEqual([
      'lazy provider',
      'result forger',
      'rater cabal',
      'self-dealing dataset owner',
      'Sybil providers',
      'wash-trading NFT owners',
    ]);
  });

  it('keeps at least 95 % of PoV rewards with honest contributions, even with all attackers at once', () => {
    expect(report.summary.honestShare).toBeGreaterThanOrEqual(0.95);
    expect(report.combinedHonestShare).toBeGreaterThanOrEqual(0.95);
  });

  it('pays detected wash trading and forged results nothing at all', () => {
    const byName = new Map(report.attacks.map((a) => [a.name.split(' (')[0], a]));
    expect(byName.get('wash-trading NFT owners')!.rewardsAicPerEpoch).toBe(0);
    expect(byName.get('result forger')!.rewardsAicPerEpoch).toBe(0);
  });

  it('refuses runs too short to estimate an expectation', () => {
    expect(() => runPovSimulation({ seed: 8n, epochs: 5 })).toThrow(
      expect.objectContaining({ code: 'SIM_TOO_FEW_EPOCHS' }),
    );
  });
});
