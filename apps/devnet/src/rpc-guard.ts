/**
 * Which JSON-RPC methods the devnet answers for other processes. The embedded chain signs for its unlocked dev
 * accounts and obeys test methods (time travel, balances, impersonation): those stay private to the devnet process.
 * Outside it, a client signs its own transactions (eth_sendRawTransaction) and reads the chain; nothing else.
 */

/** Standard JSON-RPC 2.0 error codes used by the devnet's RPC. */
export const RPC_PARSE_ERROR = -32700;
export const RPC_INVALID_REQUEST = -32600;
export const RPC_METHOD_REFUSED = -32601;
export const RPC_SERVER_BUSY = -32005;

/** Methods that sign with, or list, accounts the chain holds keys for. */
const ACCOUNT_METHODS = new Set([
  'eth_sendTransaction',
  'eth_sign',
  'eth_signTransaction',
  'eth_signTypedData',
  'eth_signTypedData_v1',
  'eth_signTypedData_v3',
  'eth_signTypedData_v4',
]);
/** Namespaces a client may use; everything else (hardhat_, evm_, personal_, debug_, miner_ …) is refused. */
const OPEN_NAMESPACES = ['eth_', 'net_', 'web3_'];

export type RpcVerdict =
  | { allowed: true }
  /** Answered by the guard itself: eth_accounts is an empty list (no account is unlocked for outsiders). */
  | { allowed: true; answer: unknown }
  | { allowed: false; message: string };

/** Whether an outside process may call `method` on the devnet's chain. */
export function checkRpcMethod(method: string): RpcVerdict {
  if (method === 'eth_accounts') return { allowed: true, answer: [] };
  if (ACCOUNT_METHODS.has(method)) {
    return {
      allowed: false,
      message: `${method} is refused: the devnet's accounts are not unlocked for other processes; sign the transaction yourself and send it with eth_sendRawTransaction`,
    };
  }
  if (!OPEN_NAMESPACES.some((ns) => method.startsWith(ns))) {
    return {
      allowed: false,
      message: `${method} is refused: only eth_*, net_* and web3_* methods are served outside the devnet process (test and account methods such as hardhat_*, evm_* and personal_* are private to it)`,
    };
  }
  return { allowed: true };
}

/** Parses an allow-list of extra methods (comma-separated), e.g. for a test that must move the chain's clock. */
export function parseExtraMethods(value: string | undefined): Set<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter((m) => /^[a-z]+_[A-Za-z0-9_]+$/.test(m)),
  );
}
