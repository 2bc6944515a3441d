import { describe, expect, it } from 'vitest';
import {
  createModelService,
  evaluate,
  irisTemplate,
  loadTrainedModel,
  manifestWithResult,
  trainJob,
  validateManifest,
} from '../../src/index.ts';

const PAYER = '0x00000000000000000000000000000000000000aa';
const STRANGER = '0x00000000000000000000000000000000000000bb';

describe('model service (paid inference, ledger stubbed)', () => {
  it('answers a caller holding a usage right and refuses one without, running nothing', async () => {
    const { train, test } = await irisTemplate.loadData();
    const steps: number[] = [];
    const trained = await trainJob({ manifest: irisTemplate.manifest, ...irisTemplate.job }, train, {
      progressEverySteps: 10,
      onProgress: (p) => steps.push(p.step),
    });
    expect(steps.slice(0, 5)).toEqual([10, 20, 30, 40, 50]);
    const { accuracy = 0 } = await evaluate(trained.model, test);
    trained.model.dispose();
    // the published manifest records the weights CID and the measured accuracy
    const published = manifestWithResult(irisTemplate.manifest, {
      weightsCid: trained.resultCid,
      metrics: [{ name: 'accuracy', split: 'test', value: accuracy }],
    });
    expect(validateManifest(published).manifest.weights?.cid).toBe(trained.resultCid);
    // the owner's node serves the published weights file, rebuilt through the security boundary
    const model = await loadTrainedModel(published, trained.weights, 'cpu');
    const asked: string[] = [];
    const service = createModelService(
      { manifest: published, model, tokenId: 7n },
      {
        hasAccess: async (tokenId, account) => {
          asked.push(`${tokenId}:${account}`);
          return account === PAYER;
        },
      },
    );
    const inputs = test.features.subarray(0, 3 * 4);
    const paid = await service.call({ caller: PAYER, inputs, count: 3 });
    expect(paid.outputShape).toEqual([3, 3]);
    expect(paid.labels).toEqual(irisTemplate.manifest.outputs[0]?.labels);
    const predicted = [0, 1, 2].map((i) => {
      const row = Array.from(paid.outputs.subarray(i * 3, i * 3 + 3));
      return row.indexOf(Math.max(...row));
    });
    expect(predicted).toEqual(Array.from(test.labels.subarray(0, 3)));
    await expect(service.call({ caller: STRANGER, inputs, count: 3 })).rejects.toMatchObject({
      code: 'MODEL_CALL_UNPAID',
    });
    await expect(service.call({ caller: PAYER, inputs: new Float32Array(5), count: 1 })).rejects.toMatchObject({
      code: 'MODEL_CALL_INPUT_INVALID',
    });
    expect(asked).toEqual([`7:${PAYER}`, `7:${STRANGER}`, `7:${PAYER}`]);
    model.dispose();
  });
});
