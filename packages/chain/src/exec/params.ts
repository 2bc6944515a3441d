/**
 * Defaults of the PoV chain's execution layer. Kept here, next to the one package that reads them, because the
 * node passes them through its chain options; a devnet overrides chainId/gas limit from its flags.
 */
export const CHAIN_EXEC_DEFAULTS = {
  /** The PoV devnet's chain id (the embedded Hardhat chain is 31337). */
  chainId: 31_338,
  /** Block gas limit: a 2 s slot holds ≥ 2,000 ERC-20 transfers (≈ 35–52 k gas each). */
  gasLimit: 200_000_000n,
  /** Genesis base fee (London): 1 gwei; it floats with block fullness from there. */
  genesisBaseFeeWei: 1_000_000_000n,
  /** The tip eth_maxPriorityFeePerGas suggests. */
  suggestedTipWei: 1_000_000n,
  /** Pool limits: transactions in all, per sender, and how far a nonce may run ahead of the pending one. */
  poolMaxTxs: 20_000,
  poolMaxPerSender: 256,
  poolMaxNonceGap: 64,
  /** eth_getLogs scans at most this many blocks per request. */
  logsMaxBlockRange: 10_000,
  /** eth_call / eth_estimateGas gas cap (the block gas limit unless lower). */
  callGasCap: 50_000_000n,
  /** Trie nodes the executing state keeps in memory (LRU) on top of the store. */
  trieNodeCacheSize: 100_000,
  /** Recovered transaction senders remembered (admission fills it, block import reads it). */
  senderCacheSize: 50_000,
  /** Block headers kept in memory (fork choice and JSON-RPC reads walk recent ones). */
  headerCacheSize: 4_096,
} as const;
