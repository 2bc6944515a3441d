/** Small form pieces the wizard's steps share: a labelled input with its inline error, a step's error banner. */
import { useId } from 'react';

export function Field({
  label,
  value,
  onChange,
  error,
  hint,
  inputMode,
  placeholder,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  hint?: string;
  inputMode?: 'numeric' | 'decimal';
  placeholder?: string;
}) {
  const id = useId();
  const errorId = useId();
  const hintId = useId();
  const describedBy = [error === undefined ? undefined : errorId, hint === undefined ? undefined : hintId]
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy === '' ? undefined : describedBy}
        spellCheck={false}
        autoComplete="off"
        {...(inputMode ? { inputMode } : {})}
        {...(placeholder ? { placeholder } : {})}
      />
      {hint === undefined ? null : (
        <span id={hintId} className="muted small">
          {hint}
        </span>
      )}
      {error === undefined ? null : (
        <span id={errorId} className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** A refusal of the whole step (the node's answer, a wallet's), in the step itself. */
export function StepError({ error, testId }: { error: string | undefined; testId?: string }) {
  if (error === undefined) return null;
  return (
    <p className="field-error" role="alert" data-testid={testId}>
      {error}
    </p>
  );
}
