import { aicToWei } from '@aic/core';
import { AssetKind } from '@aic/ledger';
import { createDevClients, deployDevnet, devAccountKey, startEmbeddedChain } from '@aic/ledger/devchain';
import { type AicNetwork, createAicNetwork } from '@aic/network';
import type { Address } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import {
  callModel,
  createModelService,
  irisTemplate,
  loadTrainedModel,
  serveModels,
  trainJob,
} from '../../src/index.ts';

const devKey = devAccountKey;

const started: AicNetwork[] = [];
afterAll(async () => {
  await Promise.all(started.map((n) => n.stop()));
});

async function startNode(privateKey: Uint8Array): Promise<AicNetwork> {
  const net = await createAicNetwork({ privateKey, listen: ['/ip4/127.0.0.1/tcp/0'], targetPeers: 0 });
  await net.start();
  started.push(net);
  return net;
}

// DoD 3: two real nodes (libp2p on 127.0.0.1) and the real ledger (AIC contracts on the embedded EVM): the caller
// buys one use of the Model NFT through PLAZA; its call is served and the use consumed; the next call is refused.
describe('paid inference end to end', () => {
  it('answers a call paid through PLAZA once and refuses it once the use is spent', async () => {
    const chain = await startEmbeddedChain();
    const dev = await deployDevnet(chain.provider, chain.accounts);
    const { as: ledgerAs } = createDevClients(chain, dev.deployment);
    const ownerIndex = 12;
    const payerIndex = 13;
    const [ownerAddress, payerAddress] = [chain.accounts[ownerIndex] as Address, chain.accounts[payerIndex] as Address];
    const owner = ledgerAs(ownerAddress);
    const payer = ledgerAs(payerAddress);

    // the owner trains the model and publishes it as a Model NFT priced per use
    const { train, test } = await irisTemplate.loadData();
    const trained = await trainJob({ manifest: irisTemplate.manifest, ...irisTemplate.job }, train);
    trained.model.dispose();
    const { tokenId } = await owner.mintAsset({
      kind: AssetKind.Model,
      manifestCid: trained.resultCid,
      contentRoot: trained.commitmentRoot,
      pricePerUseWei: aicToWei('2'),
    });

    // the owner's node serves it; each answered call consumes one paid use on chain
    const ownerNode = await startNode(devKey(ownerIndex));
    const payerNode = await startNode(devKey(payerIndex));
    expect(payerNode.address.toLowerCase()).toBe(payerAddress.toLowerCase());
    const model = await loadTrainedModel(irisTemplate.manifest, trained.weights, 'cpu');
    const service = createModelService(
      { manifest: irisTemplate.manifest, model, tokenId },
      {
        hasAccess: (id, account) => owner.hasAccess(id, account),
        recordUse: async (id, account) => {
          await owner.confirm('Plaza.consumeUses', () => owner.plaza.write.consumeUses([id, account, 1n]));
        },
      },
    );
    await serveModels(ownerNode, new Map([[tokenId.toString(), service]]));
    const ownerAddr = ownerNode.multiaddrs()[0] as string;
    const call = { modelId: tokenId.toString(), inputs: test.features.subarray(0, 4), shape: [4], count: 1 };

    await expect(callModel(payerNode, ownerAddr, call)).rejects.toMatchObject({
      details: { code: 'MODEL_CALL_UNPAID' },
    });
    const balanceBefore = await owner.token.read.balanceOf([ownerAddress]);
    expect(await payer.buyUses(tokenId, 1n)).toEqual({ paidWei: aicToWei('2') });
    expect(await owner.token.read.balanceOf([ownerAddress])).toBeGreaterThan(balanceBefore);

    const answer = await callModel(payerNode, ownerAddr, call);
    expect(answer.shape).toEqual([1, 3]);
    expect(answer.labels?.[0]).toBe('setosa');
    expect(await owner.plaza.read.usesLeft([tokenId, payerAddress])).toBe(0n);
    await expect(callModel(payerNode, ownerAddr, call)).rejects.toMatchObject({
      details: { code: 'MODEL_CALL_UNPAID' },
    });
    model.dispose();
    await chain.close();
  });
});
