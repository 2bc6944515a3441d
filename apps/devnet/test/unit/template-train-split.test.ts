import { decodeJobTicket, encodeJobTicket, ticketHash } from '@aic/gpu-vessel';
import { irisTemplate } from '@aic/model-vessel';
import { describe, expect, it } from 'vitest';
import { templateOfManifest, templateTrainSplit, ticketTrainData } from '../../src/template-train-split.ts';

describe('a template’s published training split', () => {
  it('is the first trainRows rows of the dataset the devnet publishes, found from the ticket’s model manifest', async () => {
    const manifest = JSON.stringify(irisTemplate.manifest, null, 2);
    expect(templateOfManifest(manifest)).toBe('iris');
    expect(() => templateOfManifest('{"name":"mine"}')).toThrow(/no template/);
    const split = await templateTrainSplit('iris');
    // 150 iris examples, 10 % held out as the dataset's test split.
    expect(split.count).toBe(135);
    expect(split.featureShape).toEqual([4]);
    const bytes = encodeJobTicket({
      spec: { backend: 'cpu', seed: 1, commitEverySteps: 2, hyperparameters: {} },
      dataset: { assetId: '1' },
      model: { assetId: '2', manifest },
      nonce: 'n',
    });
    const fromTicket = await ticketTrainData(decodeJobTicket(bytes, ticketHash(bytes)));
    expect(Array.from(fromTicket.features.subarray(0, 8))).toEqual(Array.from(split.features.subarray(0, 8)));
  });
});
