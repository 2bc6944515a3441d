/**
 * Tickets weighted by verified work read from the ComputeMarket deployed ON the PoV chain: 4 in-process validators
 * over real libp2p on 127.0.0.1 (the real stack), short epochs (8 slots) and a long work window. The AIC contracts
 * are deployed through a validator's JSON-RPC with viem (deployDevnet with local signing; the genesis names the
 * ComputeMarket at the address the admin's 6th transaction creates). Validator 0 registers as a provider, a
 * requester's job is assigned to it, it commits, the drawn verifier accepts: from two epochs after that verdict
 * every block is proposed by validator 0 and its header's seal names the job, its model and session, which the
 * chain's own state at the parent shows verified and validator 0's. (A ticket naming unverified work is refused in
 * pov-slashing.test.ts; one naming another validator's job in the unit test consensus-verified-work.test.ts.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aicToWei } from '@aic/core';
import { minimalPreset } from '@aic/core/params';
import { AssetKind, computeMarketAbi, createLedgerClient, HardwareClass, type LedgerClient } from '@aic/ledger';
import { deployDevnet } from '@aic/ledger/devchain';
import { type AicNetwork, GOSSIP_TOPICS } from '@aic/network';
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  type EIP1193Provider,
  getAddress,
  getContractAddress,
  type Hex,
  hexToBytes,
  http,
  keccak256,
  toHex,
} from 'viem';
import { generatePrivateKey, privateKeyToAccount, privateKeyToAddress } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consensusParams, epochOfSlot } from '../../src/consensus/params.ts';
import { decodeSeal } from '../../src/consensus/seal.ts';
import { JOB_STATE_VERIFYING } from '../../src/consensus/verified-work.ts';
import type { PovFault } from '../../src/node/faults.ts';
import { parsePovGenesis } from '../../src/node/genesis-file.ts';
import type { PovValidatorNode } from '../../src/node/run.ts';
import { eventually as waitUntil } from '../helpers/eventually.ts';
import { startInProcessValidator } from '../helpers/in-process-validators.ts';

const CHAIN_ID = 31_338;
// 8-slot epochs (lookback 2): a verdict weighs tickets from two epochs (16 s) later, for 30 epochs.
const POV = { ...minimalPreset.pov, workWindowEpochs: 30 };
const PARAMS = consensusParams(POV, BigInt(CHAIN_ID));
const chain = defineChain({
  id: CHAIN_ID,
  name: 'AIC PoV (test)',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [] } },
});

const eventually = (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 180_000) =>
  waitUntil(what, check, timeoutMs);

interface Member {
  net: AicNetwork;
  node: PovValidatorNode;
  rejected: { hash: string; code: string }[];
}

describe('PoV tickets from verified ComputeMarket work on this chain (4 running of 5 genesis validators)', () => {
  const validatorKeys: Hex[] = Array.from({ length: 5 }, () => generatePrivateKey());
  const validators = validatorKeys.map((k) => privateKeyToAddress(k));
  const worker = validators[0] as Address;
  // deployDevnet's 12 role accounts (0 admin … 11 rater), then its users: the worker (a validator) and a requester.
  const roleKeys: Hex[] = Array.from({ length: 12 }, () => generatePrivateKey());
  const requesterKey = generatePrivateKey();
  const keyOf = new Map<string, Hex>(
    [...roleKeys, validatorKeys[0] as Hex, requesterKey].map((k) => [privateKeyToAddress(k).toLowerCase(), k]),
  );
  const devAccounts = [...roleKeys, validatorKeys[0] as Hex, requesterKey].map((k) => privateKeyToAddress(k));
  const admin = devAccounts[0] as Address;
  // deployAic's order: AICToken, RewardsPool, AssetRegistry, Payroll, Plaza, ComputeMarket = the admin's nonce 5.
  const marketAddress = getContractAddress({ from: admin, nonce: 5n });
  const genesis = parsePovGenesis({
    chainId: CHAIN_ID,
    timestampSec: Math.floor(Date.now() / 1000),
    gasLimit: '200000000',
    baseFeePerGasWei: '1000000000',
    alloc: [...validators, ...devAccounts].map((address) => ({ address, balanceWei: '1000000000000000000000' })),
    validators,
    computeMarket: { address: marketAddress, flopsPerCheckpoint: '1000000000' },
  });
  let dir: string;
  const honest: Member[] = [];
  let jobId = 0n;
  let modelId = 0n;
  let verdictEpoch = 0n;

  const rpcUrl = () => (honest[0] as Member).node.rpc.url;
  const publicClient = () =>
    createPublicClient({ chain, transport: http(rpcUrl(), { retryCount: 0 }), pollingInterval: 250 });
  let deployment: Awaited<ReturnType<typeof deployDevnet>>;
  const ledgerAs = (key: Hex): LedgerClient =>
    createLedgerClient({
      publicClient: publicClient(),
      walletClient: createWalletClient({
        account: privateKeyToAccount(key),
        chain,
        transport: http(rpcUrl(), { retryCount: 0 }),
      }),
      deployment: deployment.deployment,
    });

  async function start(i: number, fault?: PovFault): Promise<Member> {
    const { net, node } = await startInProcessValidator({
      privateKey: validatorKeys[i] as Hex,
      bootstrap: honest[0] ? honest[0].net.multiaddrs() : [],
      genesis,
      dataDir: join(dir, `v${i}`),
      pov: POV,
      ...(fault ? { fault } : {}),
    });
    const m: Member = { net, node, rejected: [] };
    node.validator.on('rejected', (r) => m.rejected.push(r));
    return m;
  }

  const waitBlocks = async (n: bigint) => {
    const target = (await publicClient().getBlockNumber()) + n;
    await eventually(`block ${target}`, async () => (await publicClient().getBlockNumber()) >= target);
  };

  /** Deploys AIC on the PoV chain, then runs one job to a valid verdict with validator 0 as its provider. */
  async function verifiedJob() {
    const provider: EIP1193Provider = {
      request: (args: { method: string; params?: unknown }) =>
        http(rpcUrl(), { retryCount: 0 })({ chain }).request(args as never),
    } as EIP1193Provider;
    deployment = await deployDevnet(provider, devAccounts, {
      fundAic: '100000',
      localSigning: { chain, keyOf: (a) => keyOf.get(a.toLowerCase()) as Hex },
    });
    expect(getAddress(deployment.deployment.contracts.ComputeMarket)).toBe(getAddress(marketAddress));
    const requester = ledgerAs(requesterKey);
    const workerLedger = ledgerAs(validatorKeys[0] as Hex);
    ({ tokenId: modelId } = await requester.mintAsset({
      kind: AssetKind.Model,
      manifestCid: 'bafy-model',
      contentRoot: keccak256(toHex('model')),
      pricePerUseWei: aicToWei('1'),
    }));
    const stake = aicToWei('2000');
    const permit = await workerLedger.signPermit(workerLedger.market.address, stake);
    await workerLedger.confirm('registerProvider', () =>
      workerLedger.market.write.registerProvider([HardwareClass.WorkstationGpu, stake, permit]),
    );
    const now = (await publicClient().getBlock()).timestamp;
    ({ jobId } = await requester.createAndFundJob({
      datasetId: 0,
      modelId: Number(modelId),
      providerBudgetWei: aicToWei('100'),
      verifierFeeWei: aicToWei('5'),
      minHwClass: HardwareClass.ConsumerGpu,
      checkpointCount: 4,
      deadline: Number(now) + 3_600,
      specHash: keccak256(toHex('pov work job')),
    }));
    // The seed block's successor draws the shortlist; a call (and its gas estimate) runs at the head's number.
    await waitBlocks(3n);
    await workerLedger.confirm('assignJob', () => workerLedger.market.write.assignJob([jobId, worker]));
    await workerLedger.confirm('commitResult', () =>
      workerLedger.market.write.commitResult([jobId, keccak256(toHex('root')), 'bafy-result']),
    );
    await waitBlocks(3n); // the verifier is drawn from the hash of the block after the commitment
    const verifier = await workerLedger.market.read.designatedVerifier([jobId]);
    const verifierKey = keyOf.get(verifier.toLowerCase());
    if (verifierKey === undefined) throw new Error(`designated verifier ${verifier} is not a dev account`);
    const receipt = await ledgerAs(verifierKey).confirm('submitVerdict', () =>
      ledgerAs(verifierKey).market.write.submitVerdict([jobId, true]),
    );
    const stored = await (honest[0] as Member).node.executor.store.getBlock(hexToBytes(receipt.blockHash));
    verdictEpoch = epochOfSlot(decodeSeal(stored?.seal ?? new Uint8Array()).slot, PARAMS);
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aic-pov-work-'));
    honest.push(await start(0));
    for (const i of [1, 2, 3]) honest.push(await start(i));
    await eventually('meshes', () => honest.every((m) => m.net.meshPeers(GOSSIP_TOPICS.povBlocks).length >= 2));
    await eventually('2 blocks', () => honest.every((m) => m.node.executor.head().number >= 2n));
    await verifiedJob();
  }, 600_000);

  afterAll(async () => {
    for (const m of honest) {
      await m.node.stop();
      await m.net.stop();
    }
    await rm(dir, { recursive: true, force: true });
  }, 300_000);

  it('from two epochs after the verdict, every block names the verified job, model and session of its proposer', async () => {
    const firstWorkEpoch = verdictEpoch + BigInt(POV.lookbackEpochs);
    const sealAt = async (m: Member, n: bigint) => {
      const h = await m.node.executor.headerByNumber(n);
      const b = h && (await m.node.executor.store.getBlock(h.info.hash));
      return b ? decodeSeal(b.seal) : undefined;
    };
    const finalizedOf = async (m: Member) =>
      (await m.node.executor.headerByHash(m.node.executor.finalized()))?.info.number ?? 0n;
    await eventually('3 blocks naming the job on every node', async () => {
      for (const m of honest) {
        let named = 0;
        for (let n = await finalizedOf(m); n >= 1n && named < 3; n--) {
          if ((await sealAt(m, n))?.jobId === jobId) named++;
        }
        if (named < 3) return false;
      }
      return true;
    });
    const m = honest[1] as Member;
    const finalized = await finalizedOf(m);
    let checked = 0;
    for (let n = 1n; n <= finalized; n++) {
      const seal = await sealAt(m, n);
      if (seal === undefined || seal.epoch < firstWorkEpoch) continue;
      // The window holds verified work: bootstrap tickets are refused, only the worker's work earns blocks.
      expect(getAddress(seal.proposer)).toBe(getAddress(worker));
      expect({ jobId: seal.jobId, modelId: seal.modelId, sessionId: seal.sessionId }).toEqual({
        jobId,
        modelId,
        sessionId: 0n,
      });
      // The named work, read on chain at the parent block: the worker's, accepted by its verifier.
      const job = await publicClient().readContract({
        address: marketAddress,
        abi: computeMarketAbi,
        functionName: 'jobOf',
        args: [jobId],
        blockNumber: n - 1n,
      });
      expect(getAddress(job.provider)).toBe(getAddress(worker));
      expect(job.verdictValid).toBe(true);
      expect(job.state).toBe(JOB_STATE_VERIFYING);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(3);
  }, 300_000);
});
