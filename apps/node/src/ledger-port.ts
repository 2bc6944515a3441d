/** Balances of one address on the configured chain. */
export interface Balances {
  chainId: number;
  aicWei: bigint;
  /** The chain's native coin (gas), in wei. */
  nativeWei: bigint;
}

/** What the node reads from the ledger (grows as later issues add jobs, assets, …). */
export interface NodeLedger {
  balances(address: `0x${string}`): Promise<Balances>;
}
