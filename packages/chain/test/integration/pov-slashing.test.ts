/**
 * Byzantine proposers are slashed ON the PoV chain, and tickets naming unverified work are refused: 4 honest
 * in-process validators + 1 cheat over real libp2p on 127.0.0.1, the real stack (EthereumJS executor on level,
 * ECVRF tickets, seals, EIP-712 attestations). The genesis names ValidatorStakes (and a ComputeMarket address) at
 * the addresses the deployer's first transactions create; the test deploys AICToken + ValidatorStakes through a
 * validator's JSON-RPC (viem) and stakes all five. Then the cheat, restarted with each AIC_FAULT_POV_PROPOSER
 * behaviour: two blocks for one slot → an honest node's own slashEquivocation transaction lands and the cheat's stake
 * read over RPC halves; a ticket naming a job that is not verified work → refused by every honest node; a wrong state
 * root → the committee's rejections become a slashInvalidBlock transaction and the stake reads 0; then, slashed out of
 * the validator set (read from ValidatorStakes per epoch), its later tickets → refused by every honest node.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aicToWei } from '@aic/core';
import { validatorStakesAbi } from '@aic/ledger';
import { type AicNetwork, createAicNetwork, GOSSIP_TOPICS } from '@aic/network';
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  getContractAddress,
  type Hex,
  hexToBytes,
  http,
} from 'viem';
import { generatePrivateKey, privateKeyToAccount, privateKeyToAddress } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PovFault } from '../../src/node/faults.ts';
import { parsePovGenesis } from '../../src/node/genesis-file.ts';
import { type PovValidatorNode, startPovValidatorNode } from '../../src/node/run.ts';
import { eventually as waitUntil } from '../helpers/eventually.ts';
import { deployTokenAndStakes, stakeValidators } from '../helpers/stake-validators.ts';

const quiet = { info() {}, debug() {}, warn() {} };
const CHAIN_ID = 31_338;
const STAKE = aicToWei('10');
const pov = defineChain({
  id: CHAIN_ID,
  name: 'AIC PoV (test)',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [] } },
});

const eventually = (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 150_000) =>
  waitUntil(what, check, timeoutMs, 200);

interface Member {
  net: AicNetwork;
  node: PovValidatorNode;
  rejected: { hash: string; code: string }[];
  evidence: { kind: string; proposer: string }[];
}

describe('PoV slashing on chain and verified-work tickets (4 honest validators + 1)', () => {
  const keys: Hex[] = Array.from({ length: 5 }, () => generatePrivateKey());
  const addresses = keys.map((k) => privateKeyToAddress(k));
  const cheatAddress = addresses[4] as Address;
  const deployerKey = generatePrivateKey();
  const deployer = privateKeyToAccount(deployerKey);
  // The deployer's nonces 0 and 1 create AICToken and ValidatorStakes; nothing is ever deployed at nonce 2's address,
  // so a ticket naming "work" there names no verified job.
  const tokenAddress = getContractAddress({ from: deployer.address, nonce: 0n });
  const stakesAddress = getContractAddress({ from: deployer.address, nonce: 1n });
  const marketAddress = getContractAddress({ from: deployer.address, nonce: 2n });
  const genesis = parsePovGenesis({
    chainId: CHAIN_ID,
    timestampSec: Math.floor(Date.now() / 1000),
    gasLimit: '200000000',
    baseFeePerGasWei: '1000000000',
    alloc: [...addresses, deployer.address].map((address) => ({ address, balanceWei: '1000000000000000000000' })),
    validators: addresses,
    computeMarket: { address: marketAddress, flopsPerCheckpoint: '1000000000' },
    validatorStakes: stakesAddress,
  });
  let dir: string;
  const honest: Member[] = [];
  let cheat: Member | undefined;

  const client = () =>
    createPublicClient({ chain: pov, transport: http((honest[0] as Member).node.rpc.url, { retryCount: 0 }) });
  const stakeOf = async (who: Address) =>
    (
      await client().readContract({
        address: stakesAddress,
        abi: validatorStakesAbi,
        functionName: 'validatorOf',
        args: [who],
      })
    ).stake;

  async function start(i: number, fault?: PovFault, tag = ''): Promise<Member> {
    const net = await createAicNetwork({
      privateKey: keys[i] as Hex,
      listen: ['/ip4/127.0.0.1/tcp/0'],
      bootstrap: honest[0] ? honest[0].net.multiaddrs() : [],
    });
    await net.start();
    const node = await startPovValidatorNode({
      privateKey: keys[i] as Hex,
      network: net,
      genesis,
      dataDir: join(dir, `v${i}${tag}`),
      rpcPort: 0,
      log: quiet,
      ...(fault ? { fault } : {}),
    });
    const m: Member = { net, node, rejected: [], evidence: [] };
    node.validator.on('rejected', (r) => m.rejected.push(r));
    node.validator.on('evidence', (e) => m.evidence.push(e));
    return m;
  }

  async function stopCheat() {
    if (cheat) {
      await cheat.node.stop();
      await cheat.net.stop();
      cheat = undefined;
    }
  }

  const waitBlocks = async (n: bigint) => {
    const target = (await client().getBlockNumber()) + n;
    await eventually(`block ${target}`, async () => (await client().getBlockNumber()) >= target);
  };

  async function restartCheat(fault: PovFault) {
    await stopCheat();
    for (const m of honest) {
      m.rejected.length = 0;
      m.evidence.length = 0;
    }
    cheat = await start(4, fault, `-${fault}`);
  }

  /** Deploys AICToken and ValidatorStakes through validator 0's RPC and stakes all five validators. */
  async function deployAndStake() {
    const wallet = createWalletClient({
      account: deployer,
      chain: pov,
      transport: http((honest[0] as Member).node.rpc.url, { retryCount: 0 }),
    });
    // Explicit nonces and gas: the whole set-up goes into the pool at once, not one block per step.
    const hashes: Hex[] = await deployTokenAndStakes(wallet, { token: tokenAddress, chainId: BigInt(CHAIN_ID) });
    // Nonce 2 is burnt on a plain transfer so the "ComputeMarket" address stays codeless.
    hashes.push(await wallet.sendTransaction({ to: deployer.address, value: 0n, nonce: 2, gas: 21_000n }));
    hashes.push(
      ...(await stakeValidators(wallet, {
        token: tokenAddress,
        stakes: stakesAddress,
        validators: addresses,
        stake: STAKE,
        firstNonce: 3,
      })),
    );
    for (const hash of hashes) {
      const receipt = await client().waitForTransactionReceipt({ hash, timeout: 120_000, pollingInterval: 250 });
      expect(receipt.status, `set-up transaction ${hash}`).toBe('success');
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aic-pov-slash-'));
    honest.push(await start(0));
    for (const i of [1, 2, 3]) honest.push(await start(i));
    await eventually('meshes', () => honest.every((m) => m.net.meshPeers(GOSSIP_TOPICS.povBlocks).length >= 2));
    await eventually('2 blocks', () => honest.every((m) => m.node.executor.head().number >= 2n));
    await deployAndStake();
    for (const a of addresses) expect(await stakeOf(a)).toBe(STAKE);
  }, 400_000);

  afterAll(async () => {
    for (const m of [...honest, ...(cheat ? [cheat] : [])]) {
      await m.node.stop();
      await m.net.stop();
    }
    await rm(dir, { recursive: true, force: true });
  });

  const slashes = async (offence: number) =>
    (
      await client().getContractEvents({
        address: stakesAddress,
        abi: validatorStakesAbi,
        eventName: 'ValidatorSlashed',
        fromBlock: 0n,
      })
    ).filter((e) => e.args.validator === cheatAddress && e.args.offence === offence);

  it('two blocks for one slot: an honest validator submits slashEquivocation, the stake reads half', async () => {
    await restartCheat('equivocate');
    await eventually('the cheat stake lower on chain', async () => (await stakeOf(cheatAddress)) < STAKE);
    // The cheat equivocates in every slot it wins: stop it, let the evidence still in flight land, then count.
    await stopCheat();
    await waitBlocks(3n);
    const events = await slashes(1);
    expect(events.length).toBeGreaterThanOrEqual(1);
    // Once per offence: one slash per (proposer, slot), however many honest nodes reported it.
    expect(new Set(events.map((e) => e.args.evidenceId)).size).toBe(events.length);
    expect(await stakeOf(cheatAddress)).toBe(STAKE / 2n ** BigInt(events.length));
    for (const e of events) {
      expect(addresses.slice(0, 4).map((a) => getAddress(a))).toContain(getAddress(e.args.reporter as Address));
    }
    // The honest nodes' stakes are untouched.
    for (const a of addresses.slice(0, 4)) expect(await stakeOf(a)).toBe(STAKE);
  }, 300_000);

  it('a ticket naming a job that is not verified work is refused by every honest node', async () => {
    await restartCheat('unverified-work');
    await eventually('every honest node refused a cheat block for its named work', () =>
      honest.every((m) => m.rejected.some((r) => r.code === 'CHAIN_SEAL_UNKNOWN_WORK')),
    );
    // Refused, not stored: none of those blocks is on any honest node's chain.
    for (const m of honest) {
      for (const r of m.rejected.filter((x) => x.code === 'CHAIN_SEAL_UNKNOWN_WORK')) {
        expect(await m.node.executor.headerByHash(hexToBytes(r.hash as Hex))).toBeUndefined();
      }
    }
  }, 300_000);
  it('a wrong state root: the committee rejections become slashInvalidBlock, the stake reads 0', async () => {
    await restartCheat('bad-state-root');
    await eventually('every honest node refused a block for its state root', () =>
      honest.every((m) => m.rejected.some((r) => r.code === 'CHAIN_BAD_STATE_ROOT')),
    );
    await eventually('the invalid-block slash on chain', async () => (await stakeOf(cheatAddress)) === 0n);
    const events = await slashes(2);
    expect(events.length).toBe(1);
    expect(
      await client().readContract({
        address: stakesAddress,
        abi: validatorStakesAbi,
        functionName: 'isActive',
        args: [cheatAddress],
      }),
    ).toBe(false);
  }, 300_000);

  it('a slashed validator leaves the set: its later tickets are refused by every honest node', async () => {
    // Slashed to 0 above (inactive in ValidatorStakes); the cheat still draws bootstrap tickets as a genesis
    // validator. From the first epoch whose boundary block holds the slash, its blocks are not the set's.
    await restartCheat('outside-set');
    await eventually('every honest node refused a block of the slashed validator', () =>
      honest.every((m) => m.rejected.some((r) => r.code === 'CHAIN_BAD_SEAL')),
    );
    for (const m of honest) {
      for (const r of m.rejected.filter((x) => x.code === 'CHAIN_BAD_SEAL')) {
        expect(await m.node.executor.headerByHash(hexToBytes(r.hash as Hex))).toBeUndefined();
      }
    }
  }, 300_000);
});
