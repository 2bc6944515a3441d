import type { ReactNode } from 'react';
import { ApiError } from '../api.ts';

/** What a page shows while its data loads or when the node refused: the API's code and message, never a blank. */
export function QueryState({
  isPending,
  error,
  what,
  children,
}: {
  isPending: boolean;
  error: unknown;
  what: string;
  children: () => ReactNode;
}) {
  if (error) {
    return (
      <div className="notice error" role="alert">
        <strong>Could not load {what}.</strong> {describeError(error)}
      </div>
    );
  }
  if (isPending) {
    return (
      <p className="muted" aria-live="polite">
        Loading {what}…
      </p>
    );
  }
  return <>{children()}</>;
}

export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'LEDGER_UNAVAILABLE') return 'This node has no chain configured (start it with --rpc-url).';
    return `${error.message} (${error.code})`;
  }
  return error instanceof Error ? error.message : String(error);
}
