/** Checks of what a member types on the dashboard (pure): an account address, the node's API token. */

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
/** The node's API token format (apps/node/src/api/api-token.ts API_TOKEN_RE); the node checks it again. */
const API_TOKEN = /^[A-Za-z0-9_-]{32,128}$/;

export function addressError(text: string): string | undefined {
  const value = text.trim();
  if (value === '') return 'Enter an account address.';
  if (!ADDRESS.test(value)) return 'An address is 0x followed by 40 hex digits.';
  return undefined;
}

export function tokenError(text: string): string | undefined {
  const value = text.trim();
  if (value === '') return "Enter the node's API token (printed at start, in <data-dir>/node/api-token).";
  if (!API_TOKEN.test(value)) return 'An API token is 32 to 128 letters, digits, - or _.';
  return undefined;
}

const TOKEN_KEY = 'aic.nodeApiToken';

/** The node-owner token lives for this tab only (sessionStorage): typed once, gone when the tab closes. */
export const nodeToken = {
  get(): string | undefined {
    try {
      return window.sessionStorage.getItem(TOKEN_KEY) ?? undefined;
    } catch {
      return undefined;
    }
  },
  set(token: string): void {
    window.sessionStorage.setItem(TOKEN_KEY, token);
  },
  clear(): void {
    window.sessionStorage.removeItem(TOKEN_KEY);
  },
};
