/**
 * The validator set grows from 4 to 8 by staking: 4 genesis validator processes (`aic-node --pov-validator`) on
 * 127.0.0.1 run the chain; AICToken and ValidatorStakes deploy through validator 0's JSON-RPC (viem) at the address
 * the genesis names (the deployer's CREATE address at nonce 1, checked after deploy); 4 more keys are staked there
 * and their processes started. From the first epoch whose boundary block holds their stakes they are in the set:
 * every one of the 8 proposes blocks that all 8 import, the 4 joiners attest, and all 8 finalize the same chain.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aicToWei } from '@aic/core';
import { validatorStakesAbi } from '@aic/ledger';
import {
  type Address,
  createPublicClient,
  createWalletClient,
  getAddress,
  getContractAddress,
  type Hex,
  http,
} from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually as waitUntil } from '../helpers/eventually.ts';
import { deployTokenAndStakes, stakeValidators } from '../helpers/stake-validators.ts';
import {
  povTestChain,
  startValidator,
  stopValidator,
  type ValidatorProcess,
  type ValidatorSet,
  writeValidatorSet,
} from '../helpers/validator-processes.ts';

const pov = povTestChain;
const STAKE = aicToWei('10');
const clientOf = (v: ValidatorProcess) =>
  createPublicClient({ chain: pov, transport: http(v.rpcUrl, { retryCount: 0, timeout: 60_000 }) });
const eventually = (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 240_000) =>
  waitUntil(what, check, timeoutMs, 500);

describe('PoV validator set growth 4 → 8 by staking (8 validator processes)', () => {
  const deployerKey = generatePrivateKey();
  const deployer = privateKeyToAccount(deployerKey);
  const tokenAddress = getContractAddress({ from: deployer.address, nonce: 0n });
  const stakesAddress = getContractAddress({ from: deployer.address, nonce: 1n });
  let root: string;
  let set: ValidatorSet;
  const vs: ValidatorProcess[] = [];
  let stakedAt = 0n;

  /** AICToken and ValidatorStakes from the deployer, then the 4 joiners staked (explicit nonces: one pool batch). */
  async function deployAndStakeJoiners(rpcUrl: string, joiners: Address[]): Promise<bigint> {
    const wallet = createWalletClient({ account: deployer, chain: pov, transport: http(rpcUrl, { retryCount: 0 }) });
    const hashes: Hex[] = [
      ...(await deployTokenAndStakes(wallet, { token: tokenAddress, chainId: 31_338n })),
      ...(await stakeValidators(wallet, {
        token: tokenAddress,
        stakes: stakesAddress,
        validators: joiners,
        stake: STAKE,
        firstNonce: 2,
      })),
    ];
    let last = 0n;
    for (const hash of hashes) {
      const receipt = await clientOf(vs[0]!).waitForTransactionReceipt({
        hash,
        timeout: 180_000,
        pollingInterval: 500,
      });
      expect(receipt.status, `set-up transaction ${hash}`).toBe('success');
      if (receipt.blockNumber > last) last = receipt.blockNumber;
    }
    return last;
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'aic-pov-growth-'));
    set = await writeValidatorSet(root, 8, [deployer.address], {
      genesisValidators: 4,
      validatorStakes: stakesAddress,
    });
    vs.push(await startValidator(set, 0, []));
    vs.push(...(await Promise.all([1, 2, 3].map((i) => startValidator(set, i, vs[0]!.multiaddrs)))));
    await eventually('block 2 on the 4 genesis validators', async () =>
      (await Promise.all(vs.map((v) => clientOf(v).getBlockNumber()))).every((n) => n >= 2n),
    );
  }, 400_000);

  afterAll(async () => {
    await Promise.all(vs.map((v) => stopValidator(v)));
    await rm(root, { recursive: true, force: true });
  });

  it('stakes 4 more validators at the ValidatorStakes the genesis names', async () => {
    const joiners = set.keys.slice(4).map((k) => privateKeyToAccount(k).address);
    stakedAt = await deployAndStakeJoiners(vs[0]!.rpcUrl, joiners);
    const client = clientOf(vs[0]!);
    // The predicted CREATE address holds the contract the genesis names.
    expect((await client.getCode({ address: stakesAddress }))?.length ?? 0).toBeGreaterThan(2);
    const active = await client.readContract({
      address: stakesAddress,
      abi: validatorStakesAbi,
      functionName: 'activeValidators',
    });
    expect(new Set(active.map((a) => getAddress(a)))).toEqual(new Set(joiners.map((a) => getAddress(a))));
  }, 400_000);

  it('all 8 propose, the joiners attest, and all 8 finalize one chain', async () => {
    expect(stakedAt).toBeGreaterThan(0n);
    vs.push(...(await Promise.all([4, 5, 6, 7].map((i) => startValidator(set, i, vs[0]!.multiaddrs, {}, 'debug')))));
    const proposers = new Set<string>();
    let scanned = stakedAt;
    const client = clientOf(vs[0]!);
    await eventually('a block from each of the 8 validators after the stakes', async () => {
      const head = await client.getBlockNumber();
      for (; scanned < head; scanned++)
        proposers.add(getAddress((await client.getBlock({ blockNumber: scanned + 1n })).miner));
      return vs.every((v) => proposers.has(getAddress(v.address)));
    });
    const attested = (v: ValidatorProcess) => v.logs.some((l) => l.msg === 'pov attestation sent' && l.valid === true);
    await eventually('every joiner attested a block', () => vs.slice(4).every(attested));
    // One chain: a block at least as high as the last one scanned is final on all 8, with the same hash.
    await eventually('all 8 finalized past the joiners first blocks', async () =>
      (await Promise.all(vs.map(async (v) => (await clientOf(v).getBlock({ blockTag: 'finalized' })).number))).every(
        (n) => n >= scanned,
      ),
    );
    const hashes = await Promise.all(vs.map(async (v) => (await clientOf(v).getBlock({ blockNumber: scanned })).hash));
    expect(new Set(hashes).size).toBe(1);
    for (const v of vs) expect(v.logs.filter((l) => l.msg === 'pov block rejected')).toEqual([]);
  }, 600_000);
});
