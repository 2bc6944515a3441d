import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { irisTemplate, predict, trainJob } from '@aic/model-vessel';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelCatalog } from '../../src/models/model-catalog.ts';
import { openFileContentStore } from '../../src/models/model-content.ts';
import type { ModelHolding } from '../../src/models/model-holdings.ts';
import type { Address, ModelLedger } from '../../src/models/model-ledger.ts';
import { createModelServing } from '../../src/models/model-serving.ts';

const OWNER: Address = '0x00000000000000000000000000000000000000aa';
const BUYER: Address = '0x00000000000000000000000000000000000000bb';
const ROOT = `0x${'11'.repeat(32)}` as const;

/** PLAZA's usage rights in memory: the owner always has access, others while they have uses left. */
function memoryLedger(uses: Map<string, bigint>): ModelLedger & { consumed: string[] } {
  const key = (id: bigint, who: Address) => `${id}:${who}`;
  const consumed: string[] = [];
  const left = (id: bigint, who: Address) => uses.get(key(id, who)) ?? 0n;
  return {
    consumed,
    account: async () => OWNER,
    mintModel: async () => 1n,
    setPricePerUse: async () => ({ transactionHash: '0x' }),
    assetOf: async () => ({ kind: 3, owner: OWNER, pricePerUseWei: 0n, contentRoot: ROOT, manifestCid: 'b' }),
    hasAccess: async (id, who) => who === OWNER || left(id, who) > 0n,
    usesLeft: async (id, who) => left(id, who),
    consumeUse: async (id, who) => {
      uses.set(key(id, who), left(id, who) - 1n);
      consumed.push(key(id, who));
    },
    quoteUses: async () => ({ pricePerUseWei: 0n, totalWei: 0n, protocolFeeWei: 0n }),
    buyUses: async () => ({ paidWei: 0n, transactionHash: '0x' }),
  };
}

// The serving side without a network: a settled job's TrainedAI (as the requester's settlement leaves it on disk,
// ticket v2 with the manifest's exact text) and a published Model NFT are found, loaded on their first call, and
// each paid call spends one use; a caller without uses gets MODEL_CALL_UNPAID and nothing is consumed.
describe('the node serving the models it holds', () => {
  let dataDir: string;
  let trained: Awaited<ReturnType<typeof trainJob>>;
  const manifestText = JSON.stringify(irisTemplate.manifest);
  let sample: Float32Array;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'aic-model-serving-'));
    const { train, test } = await irisTemplate.loadData();
    sample = test.features.slice(0, 4);
    trained = await trainJob(
      { manifest: irisTemplate.manifest, ...irisTemplate.job, hyperparameters: { epochs: 3 } },
      train,
    );
    const jobDir = join(dataDir, 'jobs', '7');
    await mkdir(jobDir, { recursive: true });
    await writeFile(join(jobDir, 'result.safetensors'), trained.weights);
    await writeFile(
      join(jobDir, 'outcome.json'),
      JSON.stringify({
        trainedAssetId: '42',
        resultPath: join(jobDir, 'result.safetensors'),
        resultCid: trained.resultCid,
      }),
    );
    await writeFile(
      join(jobDir, 'ticket.json'),
      JSON.stringify({ format: 'aic-job-ticket/2', model: { assetId: '3', manifest: manifestText }, spec: {} }),
    );
  }, 120_000);

  afterAll(async () => {
    trained?.model.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves a settled TrainedAI with its result weights, one use per call', async () => {
    const ledger = memoryLedger(new Map([[`42:${BUYER}`, 1n]]));
    const announced: ModelHolding[] = [];
    const serving = createModelServing({
      net: undefined,
      ledger,
      catalog: createModelCatalog(dataDir),
      content: await openFileContentStore(join(dataDir, 'models', 'content')),
      holdings: { announce: (h) => void announced.push(h), holdersOf: () => [] },
      logger: pino({ level: 'silent' }),
    });
    expect(await serving.get('41')).toBeUndefined();
    const service = await serving.get('42');
    const answer = await service!.call({ caller: BUYER, inputs: sample, count: 1 });
    const expected = await predict(trained.model, irisTemplate.manifest, sample, 1);
    expect([...answer.outputs]).toEqual([...expected]);
    expect(ledger.consumed).toEqual([`42:${BUYER}`]);
    await expect(service!.call({ caller: BUYER, inputs: sample, count: 1 })).rejects.toMatchObject({
      code: 'MODEL_CALL_UNPAID',
    });
    expect(ledger.consumed).toHaveLength(1);
    // announced as held: role serving, the chain's root
    await serving.announce({ modelId: '42', kind: 'trained' });
    expect(announced).toContainEqual({ kind: 'model', assetId: '42', root: ROOT, bytes: 0, role: 'serving' });
    await serving.stop();
  });

  it('serves a published Model NFT from its manifest bytes, free for its owner', async () => {
    const ledger = memoryLedger(new Map());
    const content = await openFileContentStore(join(dataDir, 'models', 'content'));
    const catalog = createModelCatalog(dataDir);
    const cid = await content.put(new TextEncoder().encode(manifestText));
    await catalog.addPublished('5', cid);
    const serving = createModelServing({ net: undefined, ledger, catalog, content, logger: pino({ level: 'silent' }) });
    const answer = await (await serving.get('5'))!.call({ caller: OWNER, inputs: sample, count: 1 });
    expect(answer.outputShape).toEqual([1, 3]);
    expect(answer.labels).toEqual(irisTemplate.manifest.outputs[0]?.labels);
    expect(ledger.consumed).toEqual([]);
    await expect((await serving.get('5'))!.call({ caller: BUYER, inputs: sample, count: 1 })).rejects.toMatchObject({
      code: 'MODEL_CALL_UNPAID',
    });
    await serving.stop();
  });
});
