import { randomBytes } from 'node:crypto';
import { type AicNetwork, createAicNetwork } from '@aic/network';
import { afterAll, describe, expect, it } from 'vitest';
import {
  callModel,
  createModelService,
  irisTemplate,
  loadTrainedModel,
  serveModels,
  trainJob,
} from '../../src/index.ts';

const started: AicNetwork[] = [];
async function startNode(): Promise<AicNetwork> {
  const net = await createAicNetwork({
    privateKey: new Uint8Array(randomBytes(32)),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    targetPeers: 0,
  });
  await net.start();
  started.push(net);
  return net;
}
afterAll(async () => {
  await Promise.all(started.map((n) => n.stop()));
});

// The model-call protocol between real libp2p peers on 127.0.0.1 (signed requests). The usage right is a stub here
// (an allow-list: the payer's address may use token 7), not the chain: paid-inference.test.ts checks the same service
// against Plaza.hasAccess on the real contracts. No node process serves models yet (`serveModels` has no caller in
// apps/), so this is the protocol, not the node.
describe('model-call protocol between libp2p peers, usage right stubbed', () => {
  it('answers a caller the stubbed right allows and refuses one it does not (MODEL_CALL_UNPAID)', async () => {
    const { train, test } = await irisTemplate.loadData();
    const trained = await trainJob({ manifest: irisTemplate.manifest, ...irisTemplate.job }, train);
    trained.model.dispose();
    const [owner, payer, stranger] = await Promise.all([startNode(), startNode(), startNode()]);
    const model = await loadTrainedModel(irisTemplate.manifest, trained.weights, 'cpu');
    const service = createModelService(
      { manifest: irisTemplate.manifest, model, tokenId: 7n },
      { hasAccess: async (tokenId, account) => tokenId === 7n && account === payer.address },
    );
    await serveModels(owner, new Map([['7', service]]));
    const ownerAddr = owner.multiaddrs()[0] as string;

    const call = { modelId: '7', inputs: test.features.subarray(0, 2 * 4), shape: [4], count: 2 };
    const answer = await callModel(payer, ownerAddr, call);
    expect(answer.shape).toEqual([2, 3]);
    expect(answer.labels).toEqual(irisTemplate.manifest.outputs[0]?.labels);
    const sums = [0, 1].map((i) => answer.outputs.subarray(i * 3, i * 3 + 3).reduce((a, v) => a + v, 0));
    for (const sum of sums) expect(sum).toBeCloseTo(1, 5);

    await expect(callModel(stranger, ownerAddr, call)).rejects.toMatchObject({
      code: 'NETWORK_REMOTE_ERROR',
      details: { code: 'MODEL_CALL_UNPAID' },
    });
    await expect(callModel(payer, ownerAddr, { ...call, modelId: '8' })).rejects.toMatchObject({
      details: { code: 'MODEL_NOT_SERVED' },
    });
    model.dispose();
  });
});
