/** StorageMarket: deals, per-epoch pay, proofs of retrievability answered with real Merkle proofs, slashing. */
import { aicToWei } from '@aic/core';
import { bytesToHex0x, merkleProof, merkleRootHex } from '@aic/core/merkle';
import { type Address, encodePacked, type Hex, keccak256 } from 'viem';
import { beforeEach, describe, expect, it } from 'vitest';
import { storageMarketAbi } from '../../src/artifacts/index.ts';
import { NO_PERMIT } from '../../src/types.ts';
import { contractCaller } from '../helpers/caller.ts';
import { type Fixture, loadFixture } from '../helpers/fixture.ts';
import { expectRevert } from '../helpers/revert.ts';

const SEGMENT = 1024;
const EPOCH = 3_600; // minimal preset
const WINDOW = 20; // blocks

/** A blob cut into segments, with leaves keccak(uint32 index ‖ bytes) as the contract expects. */
function commit(blob: Uint8Array) {
  const segments: Uint8Array[] = [];
  for (let i = 0; i < blob.length; i += SEGMENT) segments.push(blob.subarray(i, i + SEGMENT));
  const leaves = segments.map((s, i) => keccak256(encodePacked(['uint32', 'bytes'], [i, bytesToHex0x(s)])));
  return { segments, leaves, root: merkleRootHex(leaves) };
}

describe('StorageMarket', () => {
  let f: Fixture;
  let client: Address;
  let provider: Address;
  let challenger: Address;
  const blob = Uint8Array.from({ length: 10 * SEGMENT + 300 }, (_, i) => (i * 31 + 7) % 251);
  const { segments, leaves, root } = commit(blob);
  const price = aicToWei('2');
  const collateral = aicToWei('50');

  beforeEach(async () => {
    f = await loadFixture();
    await f.reset();
    [client, provider, challenger] = f.roles.users as [Address, Address, Address];
    for (const who of [client, provider]) {
      const l = f.as(who);
      await l.confirm('approve', () => l.token.write.approve([l.storage.address, aicToWei('1000')]));
    }
  });

  const call = (who: Address, fn: string, args: readonly unknown[]) =>
    contractCaller(f, f.deployment.contracts.StorageMarket, storageMarketAbi).call(who, fn, args);
  const send = (who: Address, fn: string, args: readonly unknown[]) =>
    contractCaller(f, f.deployment.contracts.StorageMarket, storageMarketAbi).send(who, fn, args);
  const credits = (who: Address) => f.as(who).storage.read.owed([who]);

  async function activeDeal(epochs = 10): Promise<bigint> {
    await send(client, 'proposeDeal', [
      root,
      BigInt(blob.length),
      segments.length,
      epochs,
      price,
      collateral,
      NO_PERMIT,
    ]);
    const dealId = await f.as(client).storage.read.dealCount();
    await send(provider, 'acceptDeal', [dealId, NO_PERMIT]);
    return dealId;
  }

  async function openChallenge(dealId: bigint): Promise<number> {
    await send(challenger, 'challenge', [dealId]);
    await f.testClient.mine({ blocks: 2 });
    return f.as(challenger).storage.read.challengedSegment([dealId]);
  }

  it('pays the provider per stored epoch and returns the collateral when the term ends', async () => {
    const dealId = await activeDeal(3);
    await f.testClient.increaseTime({ seconds: 2 * EPOCH + 10 });
    await f.testClient.mine({ blocks: 1 }); // eth_call sees the new time only in a new block
    await send(challenger, 'payStorage', [dealId]);
    expect(await credits(provider)).toBe(2n * price);
    await expectRevert(call(provider, 'completeDeal', [dealId]), 'DealNotOver', [dealId]);
    await f.testClient.increaseTime({ seconds: EPOCH });
    await f.testClient.mine({ blocks: 1 }); // eth_call sees the new time only in a new block
    await send(provider, 'completeDeal', [dealId]);
    expect(await credits(provider)).toBe(3n * price + collateral);
    expect((await f.as(client).storage.read.dealOf([dealId])).state).toBe(3); // Completed
    const market = f.deployment.contracts.StorageMarket;
    expect(await f.as(client).balanceOf(market)).toBe(await f.as(client).storage.read.totalOwed());
  });

  it('accepts the challenged segment with its Merkle proof and keeps the deal alive', async () => {
    const dealId = await activeDeal();
    const index = await openChallenge(dealId);
    await send(provider, 'answerChallenge', [
      dealId,
      index,
      bytesToHex0x(segments[index]!),
      merkleProof(leaves, index),
    ]);
    expect((await f.as(client).storage.read.dealOf([dealId])).challengeBlock).toBe(0);
  });

  it('refuses a wrong segment, altered bytes, a forged proof and answers from anyone but the provider', async () => {
    const dealId = await activeDeal();
    const index = await openChallenge(dealId);
    const other = (index + 1) % segments.length;
    const bytes = bytesToHex0x(segments[index]!);
    const proof = merkleProof(leaves, index);
    await expectRevert(
      call(provider, 'answerChallenge', [dealId, other, bytesToHex0x(segments[other]!), merkleProof(leaves, other)]),
      'WrongSegment',
      [dealId, index, other],
    );
    const altered = Uint8Array.from(segments[index]!);
    altered[0] = altered[0]! ^ 1;
    await expectRevert(
      call(provider, 'answerChallenge', [dealId, index, bytesToHex0x(altered), proof]),
      'InvalidProof',
      [dealId],
    );
    await expectRevert(call(provider, 'answerChallenge', [dealId, index, bytes, proof.slice(1)]), 'InvalidProof', [
      dealId,
    ]);
    await expectRevert(call(challenger, 'answerChallenge', [dealId, index, bytes, proof]), 'NotDealProvider', [
      dealId,
      challenger,
    ]);
  });

  it('slashes a provider that deleted its replica and missed the challenge; the client can repair elsewhere', async () => {
    const dealId = await activeDeal();
    await f.testClient.increaseTime({ seconds: EPOCH + 5 });
    await f.testClient.mine({ blocks: 1 }); // eth_call sees the new time only in a new block
    await openChallenge(dealId);
    await expectRevert(call(challenger, 'slashMissedChallenge', [dealId]), 'ResponseWindowOpen');
    await f.testClient.mine({ blocks: WINDOW });
    await expectRevert(call(provider, 'answerChallenge', [dealId, 0, '0x00', []]), 'ResponseWindowClosed', [dealId]);
    await send(challenger, 'slashMissedChallenge', [dealId]);
    const toChallenger = (collateral * 2_000n) / 10_000n;
    expect(await credits(challenger)).toBe(toChallenger);
    // One epoch was earned before the challenge; the other nine come back to the client with the rest of the slash.
    expect(await credits(provider)).toBe(price);
    expect(await credits(client)).toBe(collateral - toChallenger + 9n * price);
    expect((await f.as(client).storage.read.dealOf([dealId])).state).toBe(4); // Failed
    const repair = await activeDeal();
    expect((await f.as(client).storage.read.dealOf([repair])).state).toBe(2); // Active on a new deal
  });

  it('guards proposals, cancellation and challenges', async () => {
    const zero: Hex = `0x${'00'.repeat(32)}`;
    await expectRevert(call(client, 'proposeDeal', [zero, 1n, 1, 1, price, collateral, NO_PERMIT]), 'InvalidDeal', [
      'empty deal',
    ]);
    await expectRevert(
      call(client, 'proposeDeal', [root, 100_000n, 2, 1, price, collateral, NO_PERMIT]),
      'InvalidDeal',
      ['segments larger than MAX_SEGMENT_BYTES'],
    );
    await send(client, 'proposeDeal', [root, BigInt(blob.length), segments.length, 2, price, collateral, NO_PERMIT]);
    const id = await f.as(client).storage.read.dealCount();
    await expectRevert(call(provider, 'cancelDeal', [id]), 'NotDealClient', [id, provider]);
    await expectRevert(call(challenger, 'challenge', [id]), 'IllegalDealState', [id, 1]);
    await send(client, 'cancelDeal', [id]);
    expect(await f.as(client).storage.read.dealOf([id])).toMatchObject({ state: 5, escrow: 0n });
    const live = await activeDeal();
    await send(challenger, 'challenge', [live]);
    await expectRevert(call(challenger, 'challenge', [live]), 'ChallengeOpen', [live]);
    await expectRevert(call(challenger, 'payStorage', [live]), 'ChallengeOpen', [live]);
    await expectRevert(call(challenger, 'dealOf', [999n]), 'DealNotFound', [999n]);
  });
});
