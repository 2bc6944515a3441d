/**
 * `npm run bench -- chain [--senders 100] [--per-sender 20] [--gossip-senders 100] [--gossip-per-sender 10]
 * [--parts pov,hardhat,gossip,validators]`: signed AICToken transfers from many accounts on the PoV chain
 * (packages/chain), and in the same run the same transfers on the Hardhat embedded chain (EDR) the devnet uses today.
 *
 * `erc20TransfersPerS` (= `erc20TransfersPerS4Validators`, done-when 5's figure): 4 in-process validators over
 * libp2p (bench/helpers/pov-gossip-transfers.ts), transfers posted to validator 0's JSON-RPC, gossiped, included by
 * whichever validator wins the slot, imported by all 4; `gossipCpuMsPerTransfer4Validators` is the CPU all 4 spent
 * per transfer (they share this process's one JavaScript thread; on their own machines each does about a quarter).
 * Executor figures (one process, no gossip or seals): `admitPerS` (pool admission: decode, sender recovery,
 * nonce/funds), `buildPerS` (the proposer's execution into blocks), `validatorAdmitPerS` + `importPerS` (a
 * validator admitting the gossiped transfers, then re-executing the blocks with root checks; senders come from its
 * recovery cache), each also as CPU ms per transfer; `executorTransfersPerS` = transfers / max(proposer path,
 * validator path); `oneCoreTransfersPerS` runs both paths on one core; `transfersPerCpuS` counts CPU seconds.
 * AIC_BENCH_CPU_PROFILE=<dir> writes a CPU profile of each executor phase there.
 * Validators (bench/helpers/pov-validators.ts): 4 in-process validators with tickets, seals and attestations,
 * `--validator-seconds` (default 40): `blocksPerS` (4), `finalityP99Blocks` (head − finalized at each finalization).
 * Growth (bench/helpers/pov-growth.ts): 4 genesis validators, then 4 more stake in ValidatorStakes and join at an
 * epoch boundary; `blocksPerSBeforeGrowth` and `blocksPerS8Validators` (after the set grew and retargeting had
 * `--settle-epochs` epochs, default 2), `--growth-seconds` each (default 192), `joinersProposed` of 4.
 * Last line: {"bench":"chain","erc20TransfersPerS":..,"baselineHardhatTransfersPerS":..,...}
 */
import '@aic/core/polyfills';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CHAIN_EXEC_DEFAULTS,
  ChainExecutor,
  ChainStore,
  type GenesisSpec,
  openLevelKv,
  type PovBlock,
  startChainRpc,
  startDevSealer,
} from '@aic/chain';
import { aicToWei } from '@aic/core';
import { aicTokenAbi, deployAic, deployConfigSchema, PRESETS } from '@aic/ledger';
import { deployDevnet, devAccountKey, startEmbeddedChain } from '@aic/ledger/devchain';
import { keccak_256 } from '@noble/hashes/sha3.js';
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  type Hex,
  hexToBytes,
  http,
  toHex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { profiled } from './helpers/cpu-profile.ts';
import { measureGossipTransfers } from './helpers/pov-gossip-transfers.ts';
import { measureGrowth } from './helpers/pov-growth.ts';
import { measureValidators } from './helpers/pov-validators.ts';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i] ?? '', process.argv[i + 1] ?? '');
const SENDERS = Number(args.get('--senders') ?? 100);
const PER_SENDER = Number(args.get('--per-sender') ?? 20);
const TOTAL = SENDERS * PER_SENDER;

const senderKeys = Array.from({ length: SENDERS }, (_, i) =>
  keccak_256(new TextEncoder().encode(`aic-bench-chain-${i}`)),
);
const senders = senderKeys.map((k) => privateKeyToAccount(toHex(k)).address);
const devKeys = Array.from({ length: 13 }, (_, i) => toHex(devAccountKey(i)));
const dev = devKeys.map((k) => privateKeyToAccount(k));
const devAt = (i: number): Address => (dev[i] as (typeof dev)[number]).address;

/** Every sender's transfers, signed for `chainId` from nonce 0, round-robin across senders (viem's signer). */
async function signTransfers(chainId: number, token: Address): Promise<Uint8Array[]> {
  const accounts = senderKeys.map((k) => privateKeyToAccount(toHex(k)));
  const out: Uint8Array[] = [];
  for (let n = 0; n < PER_SENDER; n++) {
    for (let i = 0; i < SENDERS; i++) {
      const to = senders[(i + 1) % SENDERS] as Address;
      const data = encodeFunctionData({ abi: aicTokenAbi, functionName: 'transfer', args: [to, 1n] });
      out.push(hexToBytes(await sign(accounts[i] as (typeof accounts)[number], chainId, n, token, data, 80_000n)));
    }
  }
  return out;
}

async function fundingTransfers(
  chainId: number,
  token: Address,
  companyKey: Hex,
  nonce: number,
): Promise<Uint8Array[]> {
  const company = privateKeyToAccount(companyKey);
  const out: Uint8Array[] = [];
  for (const [i, to] of senders.entries()) {
    const data = encodeFunctionData({ abi: aicTokenAbi, functionName: 'transfer', args: [to, aicToWei('1000')] });
    out.push(hexToBytes(await sign(company, chainId, nonce + i, token, data, 100_000n)));
  }
  return out;
}

function sign(
  account: ReturnType<typeof privateKeyToAccount>,
  chainId: number,
  nonce: number,
  to: Address,
  data: Hex,
  gas: bigint,
): Promise<Hex> {
  return account.signTransaction({
    type: 'eip1559',
    chainId,
    nonce,
    to,
    data,
    gas,
    maxFeePerGas: 50_000_000_000n,
    maxPriorityFeePerGas: 1_000_000n,
  });
}

const seconds = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;
const msPer = (cpuS: number): number => Number(((cpuS * 1000) / TOTAL).toFixed(3));

/** CPU seconds of this process since the previous call (the first call starts the clock). */
function phaseCpuClock(): () => number {
  let last = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(last);
    last = process.cpuUsage();
    return (used.user + used.system) / 1e6;
  };
}

async function povRun(): Promise<Record<string, number>> {
  const chainId = CHAIN_EXEC_DEFAULTS.chainId;
  const genesis: GenesisSpec = {
    chainId,
    gasLimit: CHAIN_EXEC_DEFAULTS.gasLimit,
    baseFeePerGasWei: CHAIN_EXEC_DEFAULTS.genesisBaseFeeWei,
    alloc: [...dev.map((a) => a.address), ...senders].map((address) => ({ address, balanceWei: 10n ** 22n })),
  };
  const dirs = [mkdtempSync(join(tmpdir(), 'aic-bench-pov-')), mkdtempSync(join(tmpdir(), 'aic-bench-pov-'))];
  const open = async (dir: string) => ChainExecutor.open({ genesis, store: new ChainStore(await openLevelKv(dir)) });
  const proposer = await open(dirs[0] as string);
  const validator = await open(dirs[1] as string);
  // Set-up through JSON-RPC with the dev sealer: the ledger's own deployAic, then AIC for every sender.
  const rpc = await startChainRpc({ executor: proposer });
  const sealer = startDevSealer(proposer, { coinbase: devAt(6), batchMs: 5 });
  const chain = defineChain({
    id: chainId,
    name: 'aic-pov-bench',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpc.url] } },
  });
  const transport = http(rpc.url, { retryCount: 0 });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 20 });
  const walletClient = createWalletClient({ chain, transport, account: dev[0] as (typeof dev)[number] });
  const config = deployConfigSchema.parse({
    admin: devAt(0),
    treasury: devAt(6),
    allocation: { investors: devAt(1), team: devAt(2), marketing: devAt(3), advisors: devAt(4), company: devAt(5) },
    roles: { allocators: [devAt(7)], verifiers: [devAt(8), devAt(9)], arbiters: [devAt(10)] },
    params: PRESETS.minimal,
  });
  const deployment = await deployAic({ publicClient, walletClient }, config);
  const token = deployment.contracts.AICToken;
  await sealer.stop();
  await rpc.stop();
  const companyNonce = await proposer.admission.pendingNonce(devAt(5).toLowerCase());
  for (const raw of await fundingTransfers(chainId, token, devKeys[5] as Hex, Number(companyNonce))) {
    await proposer.addRawTransaction(raw);
  }
  while (proposer.pool.size > 0) await proposer.importBlock(await proposer.buildBlock(nextSlot(proposer)));
  // The validator replays the set-up blocks (untimed) so both start the measured part on the same state.
  for (let n = 1n; n <= proposer.head().number; n++) {
    const hash = await proposer.store.canonicalHash(n);
    const block = hash && (await proposer.store.getBlock(hash));
    if (block) await validator.importBlock(block);
  }

  const raws = await signTransfers(chainId, token);
  const cpu = process.cpuUsage();
  const phaseCpu = phaseCpuClock();
  let t = process.hrtime.bigint();
  await profiled('admit', async () => {
    for (const raw of raws) await proposer.addRawTransaction(raw);
  });
  const admitS = seconds(t);
  const admitCpuS = phaseCpu();
  t = process.hrtime.bigint();
  let built = 0;
  const measured: PovBlock[] = [];
  await profiled('build', async () => {
    while (proposer.pool.size > 0) {
      const block = await proposer.buildBlock(nextSlot(proposer));
      await proposer.importBlock(block);
      measured.push(block);
      built += block.txs.length;
    }
  });
  const buildS = seconds(t);
  const buildCpuS = phaseCpu();
  // The validator sees the transfers as gossip first (admission recovers each sender once), then the blocks.
  t = process.hrtime.bigint();
  await profiled('validator-admit', async () => {
    for (const raw of raws) await validator.addRawTransaction(raw);
  });
  const validatorAdmitS = seconds(t);
  const validatorAdmitCpuS = phaseCpu();
  t = process.hrtime.bigint();
  await profiled('import', async () => {
    for (const block of measured) await validator.importBlock(block);
  });
  const importS = seconds(t);
  const importCpuS = phaseCpu();
  const used = process.cpuUsage(cpu);
  const cpuS = (used.user + used.system) / 1e6;
  if (built !== TOTAL) throw new Error(`only ${built} of ${TOTAL} transfers were included`);
  const head = validator.head();
  if (toHex(head.stateRoot) !== toHex(proposer.head().stateRoot)) throw new Error('validator state differs');
  const last = await validator.store.getReceipts(head.hash);
  if (!last?.every((r) => r.status === 1)) throw new Error('a measured transfer failed');
  await proposer.close();
  await validator.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  const proposerS = admitS + buildS;
  const validatorS = validatorAdmitS + importS;
  return {
    // Proposer and validators run on their own machines: the slower path bounds the chain.
    executorTransfersPerS: Math.round(TOTAL / Math.max(proposerS, validatorS)),
    oneCoreTransfersPerS: Math.round(TOTAL / (proposerS + validatorS)),
    // Per CPU-second of this process (both paths): the figure a loaded machine distorts least.
    transfersPerCpuS: Math.round((2 * TOTAL) / cpuS),
    admitPerS: Math.round(TOTAL / admitS),
    buildPerS: Math.round(TOTAL / buildS),
    validatorAdmitPerS: Math.round(TOTAL / validatorAdmitS),
    importPerS: Math.round(TOTAL / importS),
    // CPU milliseconds per transfer of each phase (this process's threads, LevelDB's included).
    admitCpuMsPerTransfer: msPer(admitCpuS),
    buildCpuMsPerTransfer: msPer(buildCpuS),
    validatorAdmitCpuMsPerTransfer: msPer(validatorAdmitCpuS),
    importCpuMsPerTransfer: msPer(importCpuS),
    blocks: measured.length,
    gasPerTransfer: Number(head.gasUsed) / (measured.at(-1)?.txs.length ?? 1),
  };
}

function nextSlot(executor: ChainExecutor) {
  return { timestampSec: executor.head().timestampSec + 2n, coinbase: devAt(6) };
}

async function hardhatRun(): Promise<number> {
  const chain = await startEmbeddedChain();
  const devnet = await deployDevnet(chain.provider, chain.accounts, { fundAic: '1' });
  const token = devnet.deployment.contracts.AICToken;
  const request = (method: string, params: unknown[] = []) =>
    chain.provider.request({ method: method as never, params: params as never });
  for (const sender of senders) await request('hardhat_setBalance', [sender, toHex(10n ** 22n)]);
  const company = devnet.roles.company;
  const companyIndex = chain.accounts.findIndex((a) => a.toLowerCase() === company.toLowerCase());
  const companyNonce = Number(BigInt((await request('eth_getTransactionCount', [company, 'pending'])) as string));
  for (const raw of await fundingTransfers(chain.chainId, token, toHex(devAccountKey(companyIndex)), companyNonce)) {
    await request('eth_sendRawTransaction', [toHex(raw)]);
  }
  const raws = await signTransfers(chain.chainId, token);
  await request('evm_setAutomine', [false]);
  const t = process.hrtime.bigint();
  for (const raw of raws) await request('eth_sendRawTransaction', [toHex(raw)]);
  let mined = 0;
  while (mined < TOTAL) {
    await request('evm_mine');
    const block = (await request('eth_getBlockByNumber', ['latest', false])) as { transactions: string[] };
    if (block.transactions.length === 0) throw new Error('hardhat mined an empty block with transfers pending');
    mined += block.transactions.length;
  }
  const s = seconds(t);
  await request('evm_setAutomine', [true]);
  await chain.close();
  return Math.round(TOTAL / s);
}

// `--parts pov,hardhat,gossip,validators` (default all) runs a subset, e.g. `--parts pov` for the executor alone.
const PARTS = new Set((args.get('--parts') ?? 'pov,hardhat,gossip,validators').split(','));
const none = { blocksPerS: Number.NaN, finalityP99Blocks: Number.NaN, finalizations: 0 };
const pov = PARTS.has('pov') ? await povRun() : {};
const baseline = PARTS.has('hardhat') ? await hardhatRun() : Number.NaN;
console.log(`PoV executor: ${JSON.stringify(pov)}; Hardhat (EDR) baseline ${baseline} transfers/s`);
// Through gossip: 4 validators, transfers posted to validator 0's JSON-RPC, included by whoever proposes.
const GOSSIP_SENDERS = Number(args.get('--gossip-senders') ?? 100);
const GOSSIP_PER_SENDER = Number(args.get('--gossip-per-sender') ?? 10);
const gossip = PARTS.has('gossip')
  ? await measureGossipTransfers(4, GOSSIP_SENDERS, GOSSIP_PER_SENDER)
  : { erc20TransfersPerS: Number.NaN, transfers: 0, blocks: 0, cpuMsPerTransfer: Number.NaN, seconds: Number.NaN };
console.log(`PoV 4 validators through gossip: ${JSON.stringify(gossip)}`);
// The validators (chain-node): 4; then one chain whose set grows from 4 to 8 by staking (read per epoch).
const VALIDATOR_SECONDS = Number(args.get('--validator-seconds') ?? 40);
// A window of n one-second slots measures 0.5 blocks/s to ± √(0.25 / n): 192 s gives ± 0.036 (64 s gave ± 0.06).
const GROWTH_SECONDS = Number(args.get('--growth-seconds') ?? 192);
const SETTLE_EPOCHS = Number(args.get('--settle-epochs') ?? 2);
const v4 = PARTS.has('validators') ? await measureValidators(4, VALIDATOR_SECONDS) : none;
console.log(`PoV validators over ${VALIDATOR_SECONDS} s: 4 → ${JSON.stringify(v4)}`);
const growth = PARTS.has('validators')
  ? await measureGrowth(4, 8, GROWTH_SECONDS, SETTLE_EPOCHS)
  : { blocksPerSBefore: Number.NaN, blocksPerSAfter: Number.NaN, joinersProposed: 0, joiners: 0 };
console.log(`PoV validator set 4 → 8 by staking, ${GROWTH_SECONDS} s each side: ${JSON.stringify(growth)}`);
console.log(
  JSON.stringify({
    bench: 'chain',
    transfers: TOTAL,
    senders: SENDERS,
    ...pov,
    baselineHardhatTransfersPerS: baseline,
    ratioToHardhat: Number((((pov as Record<string, number>).executorTransfersPerS ?? 0) / baseline).toFixed(3)),
    // Done-when 5's figure: 4 validators, through gossip, all 4 importing (one process: they share its core).
    erc20TransfersPerS: gossip.erc20TransfersPerS,
    erc20TransfersPerS4Validators: gossip.erc20TransfersPerS,
    gossipTransfers: gossip.transfers,
    gossipBlocks: gossip.blocks,
    gossipCpuMsPerTransfer4Validators: gossip.cpuMsPerTransfer,
    blocksPerS: v4.blocksPerS,
    blocksPerSBeforeGrowth: growth.blocksPerSBefore,
    blocksPerS8Validators: growth.blocksPerSAfter,
    joinersProposed: growth.joinersProposed,
    finalityP99Blocks: v4.finalityP99Blocks,
  }),
);
process.exit(0);
