/**
 * The job wizard (issue 14): dataset → model → hyperparameters → budget and confidence → the quote → pay from the
 * wallet → the job's page with its live charts. Each step checks what it can itself (validate.ts) and asks the node
 * what only the node can judge (the model against the dataset's schema, hyperparameters against the model's
 * manifest: POST /v1/jobs/quote), and shows every refusal inline in the step.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { apiGet, type PlazaAsset } from '../api.ts';
import { describeError, QueryState } from '../components/QueryState.tsx';
import { formatAic, shortHex } from '../format.ts';
import { apiPost } from './api-post.ts';
import { Field, StepError } from './fields.tsx';
import { PayStep } from './PayStep.tsx';
import type { PreparedJob } from './pay-job.ts';
import {
  type BudgetFields,
  checkBudget,
  checkHyperparameters,
  type FieldErrors,
  type HyperparameterFields,
  hasErrors,
} from './validate.ts';
import './wizard.css';

const STEPS = ['Dataset', 'Model', 'Hyperparameters', 'Budget', 'Quote and payment'] as const;
type StepIndex = 0 | 1 | 2 | 3 | 4;

/** A placeholder budget for the checks before the budget step (the quote's fees do not depend on it). */
const CHECK_BUDGET_AIC = '1';

export default function WizardPage() {
  const [step, setStep] = useState<StepIndex>(0);
  const [datasetId, setDatasetId] = useState<string | undefined>();
  const [modelId, setModelId] = useState<string | undefined>();
  const [hyper, setHyper] = useState<HyperparameterFields>({ epochs: '', batchSize: '', learningRate: '' });
  const [budget, setBudget] = useState<BudgetFields>({
    budgetAic: '10',
    verifierFeeAic: '1',
    confidence: '0.99',
    minHwClass: '0',
    deadlineMinutes: '60',
  });
  const [prepared, setPrepared] = useState<PreparedJob | undefined>();
  const assets = useQuery({
    queryKey: ['plazaAssets'],
    queryFn: ({ signal }) => apiGet('plazaAssets', '/v1/plaza/assets', { limit: 200 }, signal),
  });
  const body = (withBudget: boolean) => ({
    datasetId: datasetId ?? '',
    modelId: modelId ?? '',
    ...hyperparameterBody(hyper),
    budgetAic: withBudget ? budget.budgetAic.trim() : CHECK_BUDGET_AIC,
    ...(withBudget
      ? {
          verifierFeeAic: budget.verifierFeeAic.trim(),
          confidence: Number(budget.confidence),
          minHwClass: Number(budget.minHwClass),
          deadlineSec: Number(budget.deadlineMinutes) * 60,
        }
      : {}),
  });
  return (
    <section aria-labelledby="wizard-title" className="wizard">
      <h1 id="wizard-title">New training job</h1>
      <ol className="wizard-steps" aria-label="Steps">
        {STEPS.map((name, i) => (
          <li key={name} aria-current={i === step ? 'step' : undefined} className={i < step ? 'done' : undefined}>
            {name}
          </li>
        ))}
      </ol>
      <QueryState isPending={assets.isPending} error={assets.error} what="PLAZA's assets">
        {() => {
          const all = assets.data?.assets ?? [];
          switch (step) {
            case 0:
              return (
                <AssetStep
                  key="dataset"
                  title="Which dataset trains the model?"
                  what="dataset"
                  assets={all.filter((a) => a.kind === 'Dataset')}
                  chosen={datasetId}
                  onChoose={setDatasetId}
                  onNext={async () => setStep(1)}
                />
              );
            case 1:
              return (
                <AssetStep
                  key="model"
                  title="Which model does it train?"
                  what="model"
                  assets={all.filter((a) => a.kind === 'Model' || a.kind === 'TrainedAI')}
                  chosen={modelId}
                  onChoose={setModelId}
                  onBack={() => setStep(0)}
                  // The node resolves the model against the dataset's manifest: a schema that does not fit is refused.
                  onNext={async () => {
                    await apiPost('quoteJob', '/v1/jobs/quote', body(false));
                    setStep(2);
                  }}
                />
              );
            case 2:
              return (
                <HyperparameterStep
                  fields={hyper}
                  onChange={setHyper}
                  onBack={() => setStep(1)}
                  onNext={async () => {
                    await apiPost('quoteJob', '/v1/jobs/quote', body(false));
                    setStep(3);
                  }}
                />
              );
            case 3:
              return (
                <BudgetStep
                  fields={budget}
                  onChange={setBudget}
                  onBack={() => setStep(2)}
                  onNext={async () => {
                    setPrepared(await apiPost('prepareJob', '/v1/jobs/prepare', body(true)));
                    setStep(4);
                  }}
                />
              );
            case 4:
              return prepared === undefined ? null : (
                <PayStep
                  prepared={prepared}
                  onBack={() => setStep(3)}
                  onPaid={(jobId) => {
                    window.location.hash = `#/job/${jobId}`;
                  }}
                />
              );
          }
        }}
      </QueryState>
    </section>
  );
}

function hyperparameterBody(f: HyperparameterFields) {
  return {
    ...(f.epochs.trim() === '' ? {} : { epochs: Number(f.epochs) }),
    ...(f.batchSize.trim() === '' ? {} : { batchSize: Number(f.batchSize) }),
    ...(f.learningRate.trim() === '' ? {} : { learningRate: Number(f.learningRate) }),
  };
}

/** Runs a step's `onNext`, showing its refusal inline; `busy` while it waits for the node. */
function useStepAction() {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (cause) {
      setError(describeError(cause));
    } finally {
      setBusy(false);
    }
  };
  return { error, setError, busy, run };
}

function StepButtons({ busy, onBack, next = 'Next' }: { busy: boolean; onBack?: () => void; next?: string }) {
  return (
    <div className="wizard-buttons">
      {onBack === undefined ? null : (
        <button type="button" className="secondary" onClick={onBack} disabled={busy}>
          Back
        </button>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Checking…' : next}
      </button>
    </div>
  );
}

function AssetStep({
  title,
  what,
  assets,
  chosen,
  onChoose,
  onBack,
  onNext,
}: {
  title: string;
  what: 'dataset' | 'model';
  assets: PlazaAsset[];
  chosen: string | undefined;
  onChoose: (id: string) => void;
  onBack?: () => void;
  onNext: () => Promise<void>;
}) {
  const { error, setError, busy, run } = useStepAction();
  return (
    <form
      noValidate
      data-testid={`wizard-${what}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen === undefined) {
          setError(`Choose the ${what} first.`);
          return;
        }
        void run(onNext);
      }}
    >
      <fieldset className="asset-choice">
        <legend>{title}</legend>
        {assets.length === 0 ? <p className="notice">PLAZA lists no {what} yet.</p> : null}
        {assets.map((a) => (
          <label key={a.tokenId} className={chosen === a.tokenId ? 'chosen' : undefined}>
            <input
              type="radio"
              name={what}
              value={a.tokenId}
              checked={chosen === a.tokenId}
              onChange={() => {
                onChoose(a.tokenId);
                setError(undefined);
              }}
            />
            <span>
              <strong>
                {a.kind === 'TrainedAI' ? 'Trained AI' : a.kind} #{a.tokenId}
              </strong>{' '}
              <span className="muted">
                {formatAic(a.pricePerUseWei)} AIC per use · owner <code>{shortHex(a.owner, 4)}</code>
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      <StepError error={error} testId={`wizard-${what}-error`} />
      <StepButtons busy={busy} {...(onBack ? { onBack } : {})} />
    </form>
  );
}

function HyperparameterStep({
  fields,
  onChange,
  onBack,
  onNext,
}: {
  fields: HyperparameterFields;
  onChange: (f: HyperparameterFields) => void;
  onBack: () => void;
  onNext: () => Promise<void>;
}) {
  const [errors, setErrors] = useState<FieldErrors<HyperparameterFields>>({});
  const { error, busy, run } = useStepAction();
  const set = (key: keyof HyperparameterFields) => (value: string) => onChange({ ...fields, [key]: value });
  return (
    <form
      noValidate
      data-testid="wizard-hyperparameters"
      onSubmit={(e) => {
        e.preventDefault();
        const found = checkHyperparameters(fields);
        setErrors(found);
        if (!hasErrors(found)) void run(onNext);
      }}
    >
      <p className="muted">Leave a field blank for the model manifest's default; the node checks each against it.</p>
      <Field label="Epochs" value={fields.epochs} onChange={set('epochs')} error={errors.epochs} inputMode="numeric" />
      <Field
        label="Batch size"
        value={fields.batchSize}
        onChange={set('batchSize')}
        error={errors.batchSize}
        inputMode="numeric"
      />
      <Field
        label="Learning rate"
        value={fields.learningRate}
        onChange={set('learningRate')}
        error={errors.learningRate}
        inputMode="decimal"
      />
      <StepError error={error} testId="wizard-hyperparameters-error" />
      <StepButtons busy={busy} onBack={onBack} />
    </form>
  );
}

function BudgetStep({
  fields,
  onChange,
  onBack,
  onNext,
}: {
  fields: BudgetFields;
  onChange: (f: BudgetFields) => void;
  onBack: () => void;
  onNext: () => Promise<void>;
}) {
  const [errors, setErrors] = useState<FieldErrors<BudgetFields>>({});
  const { error, busy, run } = useStepAction();
  const set = (key: keyof BudgetFields) => (value: string) => onChange({ ...fields, [key]: value });
  return (
    <form
      noValidate
      data-testid="wizard-budget"
      onSubmit={(e) => {
        e.preventDefault();
        const found = checkBudget(fields);
        setErrors(found);
        if (!hasErrors(found)) void run(onNext);
      }}
    >
      <Field
        label="Provider budget (AIC)"
        value={fields.budgetAic}
        onChange={set('budgetAic')}
        error={errors.budgetAic}
        hint="The fixed price the provider earns; the protocol fee comes on top."
        inputMode="decimal"
      />
      <Field
        label="Verifier fee (AIC)"
        value={fields.verifierFeeAic}
        onChange={set('verifierFeeAic')}
        error={errors.verifierFeeAic}
        inputMode="decimal"
      />
      <Field
        label="Confidence"
        value={fields.confidence}
        onChange={set('confidence')}
        error={errors.confidence}
        hint="The chance that a provider faking 10 % of its segments is caught."
        inputMode="decimal"
      />
      <Field
        label="Minimum hardware class (0-4)"
        value={fields.minHwClass}
        onChange={set('minHwClass')}
        error={errors.minHwClass}
        inputMode="numeric"
      />
      <Field
        label="Deadline (minutes)"
        value={fields.deadlineMinutes}
        onChange={set('deadlineMinutes')}
        error={errors.deadlineMinutes}
        inputMode="numeric"
      />
      <StepError error={error} testId="wizard-budget-error" />
      <StepButtons busy={busy} onBack={onBack} next="Get the quote" />
    </form>
  );
}
