/**
 * Storage Vessel (issue 5, DoD 3) on the real StorageMarket contract (embedded EVM): a blob stored on two providers
 * with their own on-disk stores; an honest provider answers a challenge with a real Merkle proof; a provider that
 * deleted its replica misses its challenge and is slashed on chain; the blob is repaired onto a third provider from
 * the surviving replica, byte for byte.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aicToWei } from '@aic/core';
import { createLedgerClient, type LedgerClient } from '@aic/ledger';
import { deployDevnet, type EmbeddedChain, startEmbeddedChain } from '@aic/ledger/devchain';
import { type AicNetwork, createAicNetwork } from '@aic/network';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { type Address, createPublicClient, createWalletClient, custom, type PublicClient } from 'viem';
import { hardhat } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChallengeOutcome,
  commitBlob,
  createStorageClient,
  createStorageProvider,
  DealState,
  type DealTerms,
  proposeStorageDeal,
  remoteBlobHolder,
  type StorageProvider,
  serveSegments,
} from '../../src/index.ts';

const terms: DealTerms = { epochs: 10, pricePerEpochWei: aicToWei('2'), collateralWei: aicToWei('50') };
// Four full segments and a short one, with content that differs in every segment.
const blob = Uint8Array.from({ length: 4 * 4096 + 123 }, (_, i) => (i * 31 + (i >> 12) * 7 + 3) % 251);

// The client hands the blob to the providers as in-process objects (no deal negotiation over the network: there is
// no placement protocol yet, deals go to whoever accepts on chain); only the repair fetches the surviving replica
// from another node over libp2p. The chain side (deals, challenges, proofs, slashing) is the real contract.
describe('Storage Vessel on the real contract, providers in-process: challenges, slashing, repair over libp2p', () => {
  let chain: EmbeddedChain;
  let ledgerAs: (account: Address) => LedgerClient;
  let users: Address[];
  let shareBps: number;
  let epochSec: number;
  let windowBlocks: number;
  const dirs: string[] = [];
  const nodes: AicNetwork[] = [];

  const mine = (blocks: number) =>
    chain.provider.request({ method: 'hardhat_mine', params: [`0x${blocks.toString(16)}`] } as never);
  const providerAt = async (account: Address): Promise<{ provider: StorageProvider; dir: string }> => {
    const dir = await mkdtemp(join(tmpdir(), 'aic-storage-'));
    dirs.push(dir);
    return { provider: createStorageProvider({ dir, ledger: ledgerAs(account) }), dir };
  };
  const startNode = async (): Promise<AicNetwork> => {
    const privateKey = secp256k1.utils.randomSecretKey();
    const net = await createAicNetwork({ privateKey, listen: ['/ip4/127.0.0.1/tcp/0'], targetPeers: 0 });
    await net.start();
    nodes.push(net);
    return net;
  };

  beforeAll(async () => {
    chain = await startEmbeddedChain();
    const dev = await deployDevnet(chain.provider, chain.accounts);
    const transport = custom(chain.provider, { retryCount: 0 });
    const publicClient = createPublicClient({ chain: hardhat, transport, pollingInterval: 10 }) as PublicClient;
    ledgerAs = (account) =>
      createLedgerClient({
        publicClient,
        walletClient: createWalletClient({ chain: hardhat, transport, account }),
        deployment: dev.deployment,
      });
    users = dev.roles.users;
    shareBps = dev.config.params.storageChallengerShareBps;
    epochSec = dev.config.params.storageEpochSec;
    windowBlocks = dev.config.params.storageResponseWindowBlocks;
  }, 30_000);

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    await chain?.close();
  });

  it('places on two in-process providers, slashes the one that lost its replica, repairs from the other over libp2p', async () => {
    const [clientAddr, aAddr, bAddr, cAddr, challengerAddr] = users as [Address, Address, Address, Address, Address];
    const owner = ledgerAs(clientAddr);
    const client = createStorageClient({ ledger: owner });
    const challenger = createStorageClient({ ledger: ledgerAs(challengerAddr) });
    const [{ provider: honest, dir: honestDir }, { provider: forgetful }, { provider: spare, dir: spareDir }] =
      await Promise.all([providerAt(aAddr), providerAt(bAddr), providerAt(cAddr)]);
    const { segmentRoot, segmentCount } = commitBlob(blob);
    const forgetfulBefore = await owner.balanceOf(bAddr);

    // stored on two providers; each checked the root before posting collateral
    const [dealA, dealB] = (await client.placeBlob(blob, [honest, forgetful], terms)) as [bigint, bigint];
    expect((await owner.storage.read.dealOf([dealA])).provider).toBe(aAddr);
    expect((await owner.storage.read.dealOf([dealB])).state).toBe(DealState.Active);
    expect(await owner.balanceOf(bAddr)).toBe(forgetfulBefore - terms.collateralWei);

    // a provider refuses a deal whose root is not the blob it was handed
    const wrongDeal = await proposeStorageDeal(owner, commitBlob(blob.subarray(1)), terms);
    await expect(spare.acceptDeal(wrongDeal, blob)).rejects.toMatchObject({ code: 'STORAGE_ROOT_MISMATCH' });
    // a deal it cannot afford fails on chain, and the provider keeps no unpaid replica
    const unaffordable = await proposeStorageDeal(owner, commitBlob(blob), {
      ...terms,
      collateralWei: (await owner.balanceOf(cAddr)) + 1n,
    });
    await expect(spare.acceptDeal(unaffordable, blob)).rejects.toMatchObject({ code: 'LEDGER_REVERTED' });
    expect(await spare.store.has(segmentRoot, segmentCount)).toBe(false);
    expect(await spare.deals()).toEqual([]);

    // one epoch is stored, then the honest provider answers its challenge with the segment and its proof
    await chain.provider.request({ method: 'evm_increaseTime', params: [epochSec + 5] } as never);
    await mine(1);
    await challenger.challenge(dealA);
    expect(await honest.answerOpenChallenges()).toEqual([{ dealId: dealA, result: 'pending' }]);
    await mine(2);
    // a damaged leaves file (kept so proofs need no full read) is noticed and rebuilt from the segments
    await writeFile(join(honestDir, segmentRoot, 'leaves'), new Uint8Array(32 * segmentCount));
    const [answered] = await honest.answerOpenChallenges();
    expect(answered).toMatchObject({ dealId: dealA, result: 'answered' });
    expect(answered?.segmentIndex).toBeLessThan(segmentCount);
    expect((await owner.storage.read.dealOf([dealA])).challengeBlock).toBe(0);

    // the other provider deleted its replica: it cannot answer and is slashed once the window closes
    await forgetful.store.remove(segmentRoot);
    await challenger.challenge(dealB);
    await mine(2);
    expect(await forgetful.answerOpenChallenges()).toMatchObject([{ dealId: dealB, result: 'missing' }]);
    await expect(challenger.slashMissedChallenge(dealB)).rejects.toMatchObject({
      details: { errorName: 'ResponseWindowOpen' },
    });
    await mine(windowBlocks);
    // finding the data again is too late: the window closed, the answer fails on chain
    await forgetful.store.put(blob);
    const [late] = await forgetful.answerOpenChallenges();
    expect(late).toMatchObject({
      dealId: dealB,
      result: 'failed',
      error: { details: { errorName: 'ResponseWindowClosed' } },
    });
    await forgetful.store.remove(segmentRoot);
    const clientCreditBefore = await owner.storage.read.owed([clientAddr]);
    await challenger.slashMissedChallenge(dealB);
    const failed = await owner.storage.read.dealOf([dealB]);
    expect(failed).toMatchObject({ state: DealState.Failed, collateral: 0n, escrow: 0n });
    const toChallenger = (terms.collateralWei * BigInt(shareBps)) / 10_000n;
    expect(await owner.storage.read.owed([challengerAddr])).toBe(toChallenger);
    // the client gets the rest of the collateral plus the nine unearned epochs back; the provider keeps one epoch
    expect((await owner.storage.read.owed([clientAddr])) - clientCreditBefore).toBe(
      terms.collateralWei - toChallenger + 9n * terms.pricePerEpochWei,
    );
    expect(await owner.storage.read.owed([bAddr])).toBe(terms.pricePerEpochWei);
    expect(await owner.balanceOf(bAddr)).toBe(forgetfulBefore - terms.collateralWei);

    // a corrupt replica is refused; the real one is repaired onto the spare provider with nothing lost
    const corrupt = Uint8Array.from(blob);
    corrupt[5000] = (corrupt[5000] ?? 0) ^ 1;
    await expect(client.repair(dealB, { readBlob: async () => corrupt }, spare)).rejects.toMatchObject({
      code: 'STORAGE_REPLICA_CORRUPT',
    });
    await expect(client.repair(dealA, honest, spare)).rejects.toMatchObject({ code: 'STORAGE_DEAL_NOT_FAILED' });
    // the surviving replica travels over libp2p (127.0.0.1) from the honest provider's node to the client's node
    const [honestNode, forgetfulNode, clientNode] = await Promise.all([startNode(), startNode(), startNode()]);
    await serveSegments(honestNode, honest.store);
    await serveSegments(forgetfulNode, forgetful.store);
    const [honestAt, forgetfulAt] = [honestNode, forgetfulNode].map((n) => n.libp2p.getMultiaddrs()[0]);
    if (!honestAt || !forgetfulAt) throw new Error('the providers are not listening');
    await expect(client.repair(dealB, remoteBlobHolder(clientNode, forgetfulAt), spare)).rejects.toMatchObject({
      code: 'DATA_CHUNK_NOT_FOUND',
    });
    const repaired = await client.repair(dealB, remoteBlobHolder(clientNode, honestAt), spare);
    const deal = await owner.storage.read.dealOf([repaired]);
    expect(deal).toMatchObject({ state: DealState.Active, provider: cAddr, segmentRoot, epochs: terms.epochs });
    expect(await spare.readBlob(segmentRoot)).toEqual(blob);
    expect(await honest.readBlob(segmentRoot)).toEqual(blob);

    // the repaired replica survives a challenge of its own, answered by the spare provider restarted over its dir
    // (its deal book is on disk) and watching on its own
    const restarted = createStorageProvider({ dir: spareDir, ledger: ledgerAs(cAddr) });
    expect(await restarted.deals()).toEqual([repaired]);
    await challenger.challenge(repaired);
    const answeredByWatch = new Promise<ChallengeOutcome>((resolve, reject) => {
      const bound = setTimeout(() => reject(new Error('the watching provider did not answer within 10 s')), 10_000);
      const watch = restarted.watchChallenges({
        intervalMs: 20,
        onOutcome: (outcome) => {
          if (outcome.result !== 'answered') return;
          clearTimeout(bound);
          watch.stop();
          resolve(outcome);
        },
        onError: (error) => {
          clearTimeout(bound);
          watch.stop();
          reject(error);
        },
      });
    });
    await mine(2);
    expect(await answeredByWatch).toMatchObject({ dealId: repaired, result: 'answered' });
    expect((await owner.storage.read.dealOf([repaired])).challengeBlock).toBe(0);
    // at the end of the term the honest provider collects all ten epochs and its collateral, and drops the deal
    const honestBefore = await owner.balanceOf(aAddr);
    await chain.provider.request({ method: 'evm_increaseTime', params: [terms.epochs * epochSec] } as never);
    await mine(1);
    const collected = await honest.collectPayments();
    expect(collected).toBe(BigInt(terms.epochs) * terms.pricePerEpochWei + terms.collateralWei);
    expect(await owner.balanceOf(aAddr)).toBe(honestBefore + collected);
    expect((await owner.storage.read.dealOf([dealA])).state).toBe(DealState.Completed);
    expect(await honest.deals()).toEqual([]);
    expect(await honest.store.has(segmentRoot, segmentCount)).toBe(false); // no deal pays for it any more
    // the slashed provider drops the failed deal on its next pass
    expect(await forgetful.answerOpenChallenges()).toEqual([]);
    expect(await forgetful.deals()).toEqual([]);
  }, 40_000);
});
