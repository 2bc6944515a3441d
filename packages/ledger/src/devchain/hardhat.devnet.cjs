// The devnet's chain: the ledger's Hardhat config, but blocks may share a timestamp. The EVM otherwise gives every
// block at least the previous timestamp + 1 s, so a block per transaction runs the chain ahead of the wall clock.
const base = require('../../hardhat.config.cjs');

module.exports = {
  ...base,
  networks: { ...base.networks, hardhat: { ...base.networks.hardhat, allowBlocksWithSameTimestamp: true } },
};
