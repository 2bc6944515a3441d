/** The job wizard's own checks: the node's job-body bounds, each refusal a sentence for its field. */
import { describe, expect, it } from 'vitest';
import { checkBudget, checkHyperparameters, hasErrors } from '../../src/wizard/validate.ts';

const budget = { budgetAic: '10', verifierFeeAic: '1', confidence: '0.99', minHwClass: '0', deadlineMinutes: '60' };

describe('wizard field checks', () => {
  it('keeps blank hyperparameters (the manifest defaults) and refuses out-of-range ones', () => {
    expect(checkHyperparameters({ epochs: '', batchSize: '', learningRate: '' })).toEqual({});
    expect(checkHyperparameters({ epochs: '3', batchSize: '16', learningRate: '0.05' })).toEqual({});
    const bad = checkHyperparameters({ epochs: '0', batchSize: '5000', learningRate: '-1' });
    expect(Object.keys(bad).sort()).toEqual(['batchSize', 'epochs', 'learningRate']);
    expect(bad.epochs).toContain('from 1 to 1000');
  });

  it('refuses a malformed budget, fee, confidence, class and deadline', () => {
    expect(hasErrors(checkBudget(budget))).toBe(false);
    const bad = checkBudget({
      budgetAic: '0',
      verifierFeeAic: '1e3',
      confidence: '1',
      minHwClass: '5',
      deadlineMinutes: '0',
    });
    expect(Object.keys(bad).sort()).toEqual([
      'budgetAic',
      'confidence',
      'deadlineMinutes',
      'minHwClass',
      'verifierFeeAic',
    ]);
    expect(checkBudget({ ...budget, budgetAic: 'ten' }).budgetAic).toContain('AIC amount above 0');
  });
});
