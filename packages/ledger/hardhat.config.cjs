// Hardhat is used only as the embedded EVM (EDR) and its JSON-RPC server; contracts are compiled by scripts/compile.ts.
/** @type {import('hardhat/config').HardhatUserConfig} */
module.exports = {
  networks: {
    hardhat: {
      chainId: 31337,
      hardfork: 'prague',
      accounts: { count: 32, accountsBalance: '10000000000000000000000' },
      mining: { auto: true },
      loggingEnabled: false,
    },
  },
};
