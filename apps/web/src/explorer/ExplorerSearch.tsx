import { type FormEvent, useId, useState } from 'react';
import { ApiError, apiGet, type RouteResponse } from '../api.ts';
import { describeError } from '../components/QueryState.tsx';
import { explorerHref, parseSearch } from './search-input.ts';

type Match = RouteResponse<'explorerSearch'>['matches'][number];

const VIEW_OF: Record<Match['kind'], 'block' | 'tx' | 'job' | 'asset' | 'account'> = {
  block: 'block',
  tx: 'tx',
  job: 'job',
  asset: 'asset',
  account: 'account',
};

/** The Explorer's search: checked here first (inline error), then resolved by the node; one match opens it. */
export function ExplorerSearch() {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [matches, setMatches] = useState<Match[] | undefined>();
  const [pending, setPending] = useState(false);
  const inputId = useId();
  const errorId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseSearch(value);
    setMatches(undefined);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(undefined);
    setPending(true);
    apiGet('explorerSearch', '/v1/explorer/search', { q: parsed.query })
      .then((found) => {
        const only = found.matches.length === 1 ? found.matches[0] : undefined;
        if (only !== undefined) window.location.hash = explorerHref(VIEW_OF[only.kind], only.id);
        else setMatches(found.matches);
      })
      .catch((cause: unknown) =>
        setError(
          cause instanceof ApiError && cause.status === 404
            ? `Nothing on this chain matches ${parsed.query}.`
            : describeError(cause),
        ),
      )
      .finally(() => setPending(false));
  };
  return (
    <search>
      <form className="toolbar" onSubmit={submit} noValidate>
        <label htmlFor={inputId}>Search the chain</label>
        <input
          id={inputId}
          type="search"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder="block number, job id, tx hash or address"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={error !== undefined}
          aria-describedby={error === undefined ? undefined : errorId}
        />
        <button type="submit" disabled={pending}>
          {pending ? 'Searching…' : 'Search'}
        </button>
        {error === undefined ? null : (
          <p id={errorId} className="field-error" role="alert" data-testid="search-error">
            {error}
          </p>
        )}
      </form>
      {matches === undefined ? null : (
        <nav aria-label="Search results">
          <ul data-testid="search-matches">
            {matches.map((m) => (
              <li key={`${m.kind}-${m.id}`}>
                <a href={explorerHref(VIEW_OF[m.kind], m.id)}>{m.label}</a>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </search>
  );
}
