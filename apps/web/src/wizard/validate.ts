/**
 * The wizard's own checks of what the user typed, before anything is sent: the same bounds as the node's job body
 * (apps/node/src/jobs/job-schemas.ts), each answered with a sentence for the field's inline error. What only the
 * node can judge (the model against the dataset, hyperparameters against the model's manifest) it answers itself.
 */

export interface HyperparameterFields {
  epochs: string;
  batchSize: string;
  learningRate: string;
}

export interface BudgetFields {
  budgetAic: string;
  verifierFeeAic: string;
  confidence: string;
  minHwClass: string;
  deadlineMinutes: string;
}

export type FieldErrors<T> = Partial<Record<keyof T, string | undefined>>;

const AIC_AMOUNT = /^[0-9]{1,12}(\.[0-9]{1,18})?$/;
const WHOLE = /^[0-9]+$/;

function wholeIn(text: string, min: number, max: number, what: string): string | undefined {
  const t = text.trim();
  if (!WHOLE.test(t) || Number(t) < min || Number(t) > max) return `${what} is a whole number from ${min} to ${max}.`;
  return undefined;
}

/** Blank fields keep the model manifest's defaults. */
export function checkHyperparameters(f: HyperparameterFields): FieldErrors<HyperparameterFields> {
  const errors: FieldErrors<HyperparameterFields> = {};
  if (f.epochs.trim() !== '') errors.epochs = wholeIn(f.epochs, 1, 1_000, 'Epochs');
  if (f.batchSize.trim() !== '') errors.batchSize = wholeIn(f.batchSize, 1, 4_096, 'Batch size');
  if (f.learningRate.trim() !== '') {
    const rate = Number(f.learningRate.trim());
    if (!Number.isFinite(rate) || rate <= 0 || rate > 10) {
      errors.learningRate = 'The learning rate is a number above 0 and at most 10, e.g. 0.05.';
    }
  }
  return dropEmpty(errors);
}

export function checkBudget(f: BudgetFields): FieldErrors<BudgetFields> {
  const errors: FieldErrors<BudgetFields> = {};
  const budget = f.budgetAic.trim();
  if (!AIC_AMOUNT.test(budget) || Number(budget) <= 0) {
    errors.budgetAic = 'The budget is an AIC amount above 0, e.g. 40 or 2.5.';
  }
  if (!AIC_AMOUNT.test(f.verifierFeeAic.trim())) errors.verifierFeeAic = 'The verifier fee is an AIC amount, e.g. 1.';
  const confidence = Number(f.confidence.trim());
  if (f.confidence.trim() === '' || !Number.isFinite(confidence) || confidence < 0.5 || confidence > 0.999999) {
    errors.confidence = 'Confidence is a probability from 0.5 to 0.999999, e.g. 0.99.';
  }
  errors.minHwClass = wholeIn(f.minHwClass, 0, 4, 'The hardware class');
  errors.deadlineMinutes = wholeIn(f.deadlineMinutes, 1, 30 * 1_440, 'The deadline in minutes');
  return dropEmpty(errors);
}

export function hasErrors(errors: object): boolean {
  return Object.keys(errors).length > 0;
}

function dropEmpty<T>(errors: FieldErrors<T>): FieldErrors<T> {
  return Object.fromEntries(Object.entries(errors).filter(([, v]) => v !== undefined)) as FieldErrors<T>;
}
