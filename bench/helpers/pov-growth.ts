/**
 * bench/chain.ts's growth part: the validator set grows from `from` to `to` by staking, on one chain (the devnet
 * preset: 32 one-second slots per epoch, 2-epoch lookback). `from` genesis validators run in this process; AICToken
 * and ValidatorStakes deploy through validator 0's JSON-RPC at the address the genesis names; the joiners are
 * staked, started, and enter the set at the first epoch whose boundary block holds their stakes. Measured on
 * validator 0: canonical blocks per second over `seconds` before the stakes, and over `seconds` after the set has
 * grown and `settleEpochs` epochs of retargeting passed; plus how many joiners proposed in the second window.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PovValidatorNode, parsePovGenesis, startPovValidatorNode } from '@aic/chain/node';
import { aicToWei } from '@aic/core';
import { PRESETS } from '@aic/core/params';
import { artifacts, NO_PERMIT, validatorStakesAbi } from '@aic/ledger';
import { type AicNetwork, createAicNetwork } from '@aic/network';
import {
  type Abi,
  bytesToHex,
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  getContractAddress,
  type Hex,
  http,
} from 'viem';
import { generatePrivateKey, privateKeyToAccount, privateKeyToAddress } from 'viem/accounts';

const quiet = { info() {}, debug() {}, warn() {} };
const CHAIN_ID = 31_338;
const pov = defineChain({
  id: CHAIN_ID,
  name: 'AIC PoV (bench)',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [] } },
});

export interface GrowthFigures {
  blocksPerSBefore: number;
  blocksPerSAfter: number;
  joinersProposed: number;
  joiners: number;
}

export async function measureGrowth(
  from: number,
  to: number,
  seconds: number,
  settleEpochs = 3,
): Promise<GrowthFigures> {
  const keys = Array.from({ length: to }, () => generatePrivateKey());
  const deployer = privateKeyToAccount(generatePrivateKey());
  const token = getContractAddress({ from: deployer.address, nonce: 0n });
  const stakes = getContractAddress({ from: deployer.address, nonce: 1n });
  const genesis = parsePovGenesis({
    chainId: CHAIN_ID,
    timestampSec: Math.floor(Date.now() / 1000),
    gasLimit: '200000000',
    baseFeePerGasWei: '1000000000',
    alloc: [...keys.map((k) => privateKeyToAddress(k)), deployer.address].map((address) => ({
      address,
      balanceWei: '1000000000000000000000',
    })),
    validators: keys.slice(0, from).map((k) => privateKeyToAddress(k)),
    validatorStakes: stakes,
  });
  const dir = await mkdtemp(join(tmpdir(), 'aic-pov-growth-'));
  const nodes: { net: AicNetwork; node: PovValidatorNode }[] = [];
  const start = async (i: number) => {
    const key = keys[i] as Hex;
    const net = await createAicNetwork({
      privateKey: key,
      listen: ['/ip4/127.0.0.1/tcp/0'],
      bootstrap: nodes[0]?.net.multiaddrs() ?? [],
    });
    await net.start();
    const node = await startPovValidatorNode({
      privateKey: key,
      network: net,
      genesis,
      dataDir: join(dir, `${i}`),
      rpcPort: 0,
      log: quiet,
    });
    nodes.push({ net, node });
  };
  try {
    for (let i = 0; i < from; i++) await start(i);
    const first = (nodes[0] as (typeof nodes)[number]).node;
    await new Promise<void>((resolve) => first.validator.on('finalized', () => resolve()));
    const blocksPerSBefore = await rateOver(first, seconds);

    await deployAndStake(first.rpc.url, deployer, token, stakes, keys.slice(from).map(privateKeyToAddress));
    for (let i = from; i < to; i++) await start(i);
    // In the set after the boundary (≤ lookback + 1 epochs), then `settleEpochs` more of retargeting.
    const slotsPerEpoch = PRESETS.devnet.pov.slotsPerEpoch;
    const waitS =
      ((PRESETS.devnet.pov.lookbackEpochs + 1 + settleEpochs) * slotsPerEpoch * PRESETS.devnet.pov.slotMs) / 1000;
    await new Promise((r) => setTimeout(r, waitS * 1000));
    const fromBlock = first.executor.head().number;
    const blocksPerSAfter = await rateOver(first, seconds);
    const joiners = new Set(keys.slice(from).map((k) => privateKeyToAddress(k).toLowerCase()));
    const proposed = new Set<string>();
    for (let n = fromBlock + 1n; n <= first.executor.head().number; n++) {
      const header = await first.executor.headerByNumber(n);
      const coinbase = header === undefined ? '' : getAddress(bytesToHex(header.info.coinbase)).toLowerCase();
      if (joiners.has(coinbase)) proposed.add(coinbase);
    }
    return { blocksPerSBefore, blocksPerSAfter, joinersProposed: proposed.size, joiners: joiners.size };
  } finally {
    for (const { net, node } of nodes) {
      await node.stop();
      await net.stop();
    }
    await rm(dir, { recursive: true, force: true });
  }
}

async function rateOver(node: PovValidatorNode, seconds: number): Promise<number> {
  const startHead = node.executor.head().number;
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  return Number((Number(node.executor.head().number - startHead) / ((Date.now() - t0) / 1000)).toFixed(3));
}

async function deployAndStake(
  rpcUrl: string,
  deployer: ReturnType<typeof privateKeyToAccount>,
  token: Hex,
  stakes: Hex,
  joiners: Hex[],
): Promise<void> {
  const transport = http(rpcUrl, { retryCount: 0, timeout: 60_000 });
  const wallet = createWalletClient({ account: deployer, chain: pov, transport });
  const client = createPublicClient({ chain: pov, transport });
  const all = deployer.address;
  const stake = aicToWei('10');
  const hashes: Hex[] = [
    await wallet.deployContract({
      abi: artifacts.AICToken.abi as Abi,
      bytecode: artifacts.AICToken.bytecode,
      args: [{ investors: all, team: all, ecosystem: all, marketing: all, advisors: all, company: all }],
      nonce: 0,
      gas: 6_000_000n,
    }),
    await wallet.deployContract({
      abi: artifacts.ValidatorStakes.abi as Abi,
      bytecode: artifacts.ValidatorStakes.bytecode,
      args: [
        token,
        all,
        BigInt(CHAIN_ID),
        {
          minStake: aicToWei('1'),
          equivocationSlashBps: 5_000,
          invalidBlockSlashBps: 10_000,
          reporterShareBps: 5_000,
          unbondingSec: 60,
          committeeMaxSize: PRESETS.devnet.pov.committeeMaxSize,
        },
      ],
      nonce: 1,
      gas: 6_000_000n,
    }),
    await wallet.writeContract({
      address: token,
      abi: artifacts.AICToken.abi as Abi,
      functionName: 'approve',
      args: [stakes, stake * BigInt(joiners.length)],
      nonce: 2,
      gas: 100_000n,
    }),
  ];
  for (const [i, validator] of joiners.entries()) {
    hashes.push(
      await wallet.writeContract({
        address: stakes,
        abi: validatorStakesAbi,
        functionName: 'stakeFor',
        args: [validator, stake, NO_PERMIT],
        nonce: 3 + i,
        gas: 300_000n,
      }),
    );
  }
  for (const hash of hashes) {
    const receipt = await client.waitForTransactionReceipt({ hash, timeout: 180_000, pollingInterval: 500 });
    if (receipt.status !== 'success') throw new Error(`growth set-up transaction ${hash} failed`);
  }
}
