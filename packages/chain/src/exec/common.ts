/**
 * The EthereumJS `Common` of a PoV chain: a custom chain id, every hardfork up to Cancun active from block 0 (the
 * ledger's contracts are compiled for evmVersion 'cancun': PUSH0, MCOPY, transient storage), proof-of-stake rules
 * (no block reward, difficulty 0: the PoV seal replaces PoW), London's fee market. Prague is left out on purpose: its
 * EIP-7002/7251/2935 system contracts are beacon-chain plumbing a PoV chain has no use for.
 */
import { type ChainConfig, type Common, createCustomCommon, Hardfork, Mainnet } from '@ethereumjs/common';
import { paramsTx } from '@ethereumjs/tx';
import { createCachedEcrecover } from './sender-cache.ts';

const LAST_HARDFORK = Hardfork.Cancun;

/** Builds the Common for `chainId`. */
export function createPovCommon(chainId: number): Common {
  const names = Mainnet.hardforks.map((h) => h.name);
  const last = names.indexOf(LAST_HARDFORK);
  // The DAO fork rewrites balances at its block: a mainnet event, not a rule.
  const hardforks = Mainnet.hardforks
    .slice(0, last + 1)
    .filter((h) => h.name !== Hardfork.Dao)
    .map((h) => ({ name: h.name, block: 0 }));
  const config: Partial<ChainConfig> = {
    name: `aic-pov-${chainId}`,
    chainId,
    defaultHardfork: LAST_HARDFORK,
    consensus: { type: 'pos', algorithm: 'casper' },
    hardforks,
  };
  return createCustomCommon(config, Mainnet, { hardfork: LAST_HARDFORK });
}

/**
 * The Common transactions are decoded with: the tx params merged once, then `updateParams` made a no-op.
 * EthereumJS's transaction constructor calls `common.updateParams(paramsTx)` on every transaction, which deep-copies
 * and rebuilds the params cache (~7 ms each with a custom chain): one shared, pre-merged copy avoids that.
 */
export function createTxCommon(common: Common, senderCacheSize: number): Common {
  const txCommon = common.copy();
  txCommon.updateParams(paramsTx);
  // Enumerable: each transaction takes a copy() (Object.assign), which must keep the no-op.
  Object.defineProperty(txCommon, 'updateParams', { value: () => txCommon, enumerable: true });
  // Its own customCrypto object: copy() shares the original's, which the VM's ECRECOVER precompile reads.
  const ecrecover = createCachedEcrecover(senderCacheSize);
  Object.defineProperty(txCommon, 'customCrypto', { value: { ...common.customCrypto, ecrecover } });
  return txCommon;
}
