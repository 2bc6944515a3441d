/**
 * What the Explorer's search box accepts (pure), checked before asking the node: a block number or a job / asset id
 * (digits, optionally after #), a transaction or block hash (0x + 64 hex), an address (0x + 40 hex).
 */
export type SearchInput =
  | { ok: true; query: string; shape: 'number' | 'hash' | 'address' }
  | { ok: false; error: string };

export function parseSearch(text: string): SearchInput {
  const q = text.trim();
  if (q === '') return { ok: false, error: 'Type a block number, a job id, a transaction hash or an address.' };
  if (/^#?[0-9]{1,20}$/.test(q)) return { ok: true, query: q.replace('#', ''), shape: 'number' };
  if (/^0x[0-9a-fA-F]{64}$/.test(q)) return { ok: true, query: q, shape: 'hash' };
  if (/^0x[0-9a-fA-F]{40}$/.test(q)) return { ok: true, query: q, shape: 'address' };
  if (/^0x[0-9a-fA-F]*$/.test(q)) {
    return {
      ok: false,
      error: `0x… with ${q.length - 2} hex digits is neither a transaction hash (64) nor an address (40).`,
    };
  }
  return {
    ok: false,
    error: 'Not a block number, job id, transaction hash (0x + 64 hex digits) or address (0x + 40 hex digits).',
  };
}

export type ExplorerView = 'block' | 'tx' | 'job' | 'account' | 'asset' | 'epochs';
export const EXPLORER_VIEWS: readonly ExplorerView[] = ['block', 'tx', 'job', 'account', 'asset', 'epochs'];

export function explorerHref(view?: ExplorerView, id?: string): string {
  if (view === undefined) return '#/explorer';
  return id === undefined ? `#/explorer/${view}` : `#/explorer/${view}/${encodeURIComponent(id)}`;
}
