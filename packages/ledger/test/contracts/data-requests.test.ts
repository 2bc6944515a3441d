/** DataRequests: a requirement with an escrowed reward is claimed by an offered dataset, paid to its owner. */
import { aicToWei } from '@aic/core';
import { type Address, keccak256, toHex } from 'viem';
import { beforeEach, describe, expect, it } from 'vitest';
import { dataRequestsAbi } from '../../src/artifacts/index.ts';
import { AssetKind, NO_PERMIT } from '../../src/types.ts';
import { contractCaller } from '../helpers/caller.ts';
import { type Fixture, loadFixture } from '../helpers/fixture.ts';
import { deadlineIn } from '../helpers/market.ts';
import { expectRevert } from '../helpers/revert.ts';

describe('DataRequests', () => {
  let f: Fixture;
  let requester: Address;
  let owner: Address;
  let buyer: Address;
  let datasetId: bigint;
  let modelId: bigint;
  const reward = aicToWei('500');
  const spec = keccak256(toHex('{"features":4,"labels":["setosa","versicolor","virginica"],"minRows":150}'));

  beforeEach(async () => {
    f = await loadFixture();
    await f.reset();
    [requester, owner, buyer] = f.roles.users as [Address, Address, Address];
    const o = f.as(owner);
    datasetId = (
      await o.mintAsset({ kind: AssetKind.Dataset, manifestCid: 'bafy-iris', contentRoot: spec, pricePerUseWei: 1n })
    ).tokenId;
    modelId = (
      await o.mintAsset({ kind: AssetKind.Model, manifestCid: 'bafy-mlp', contentRoot: spec, pricePerUseWei: 1n })
    ).tokenId;
    const r = f.as(requester);
    await r.confirm('approve', () => r.token.write.approve([r.dataRequests.address, reward]));
  });

  const call = (who: Address, fn: string, args: readonly unknown[]) =>
    contractCaller(f, f.deployment.contracts.DataRequests, dataRequestsAbi).call(who, fn, args);
  const send = (who: Address, fn: string, args: readonly unknown[]) =>
    contractCaller(f, f.deployment.contracts.DataRequests, dataRequestsAbi).send(who, fn, args);

  async function post(): Promise<bigint> {
    await send(requester, 'postRequest', [spec, 150n, reward, await deadlineIn(f, 3_600), NO_PERMIT]);
    return 1n;
  }

  it('pays the reward to whoever owns the accepted dataset at acceptance', async () => {
    const id = await post();
    await send(owner, 'offerDataset', [id, datasetId]);
    const o = f.as(owner);
    await o.confirm('sell', () => o.registry.write.transferFrom([owner, buyer, datasetId]));
    const before = await f.as(buyer).balanceOf(buyer);
    await send(requester, 'acceptDataset', [id, datasetId]);
    expect((await f.as(buyer).balanceOf(buyer)) - before).toBe(reward);
    expect(await f.as(requester).dataRequests.read.requestOf([id])).toMatchObject({
      state: 2,
      reward: 0n,
      datasetId: Number(datasetId),
    });
  });

  it('returns the reward after the deadline when nothing was accepted', async () => {
    const id = await post();
    await expectRevert(call(buyer, 'cancelRequest', [id]), 'DeadlineNotPassed', [id]);
    await f.testClient.increaseTime({ seconds: 3_601 });
    await f.testClient.mine({ blocks: 1 });
    const before = await f.as(requester).balanceOf(requester);
    await send(buyer, 'cancelRequest', [id]);
    expect((await f.as(requester).balanceOf(requester)) - before).toBe(reward);
    await expectRevert(call(requester, 'acceptDataset', [id, datasetId]), 'RequestNotOpen', [id, 3]);
  });

  it('refuses offers by non-owners, of models, after the deadline, and acceptance of what was not offered', async () => {
    const id = await post();
    await expectRevert(call(buyer, 'offerDataset', [id, datasetId]), 'NotDatasetOwner', [datasetId, buyer]);
    await expectRevert(call(owner, 'offerDataset', [id, modelId]), 'NotADataset', [modelId]);
    await expectRevert(call(requester, 'acceptDataset', [id, datasetId]), 'NotOffered', [id, datasetId]);
    await send(owner, 'offerDataset', [id, datasetId]);
    await expectRevert(call(owner, 'acceptDataset', [id, datasetId]), 'NotRequester', [id, owner]);
    await expectRevert(
      call(requester, 'postRequest', [spec, 1n, 0n, await deadlineIn(f, 10), NO_PERMIT]),
      'InvalidRequest',
      ['reward is zero'],
    );
    await expectRevert(call(requester, 'requestOf', [42n]), 'RequestNotFound', [42n]);
    await f.testClient.increaseTime({ seconds: 3_601 });
    await f.testClient.mine({ blocks: 1 });
    await expectRevert(call(owner, 'offerDataset', [id, datasetId]), 'DeadlinePassed', [id]);
  });
});
