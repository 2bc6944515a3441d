/**
 * PLAZA cards' extras (web/plaza-details.ts, web/plaza-standing.ts): a model's I/O dictionary and hyperparameters
 * from its manifest bytes (content store by CID, or the job ticket this node trained with), a TrainedAI's final loss
 * and accuracy from the requester's progress lines, null for what this node does not hold; the asset's standing and
 * the provider's track record counted from chain events.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerClient } from '@aic/ledger';
import { cidOfBytes } from '@aic/model-vessel';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlazaAsset } from '../../src/api/plaza-schemas.ts';
import { createPlazaDetails } from '../../src/web/plaza-details.ts';
import { readAssetStandings, readProviderRecords } from '../../src/web/plaza-standing.ts';

const manifest = (name: string) => ({
  schema: 'aic-model/1',
  name,
  version: '1.0.0',
  task: 'tabular-classification',
  inputs: [{ name: 'features', dtype: 'float32', shape: [4], meaning: 'sepal and petal sizes in cm' }],
  outputs: [{ name: 'species', dtype: 'float32', shape: [3], meaning: 'class probabilities', labels: ['a', 'b', 'c'] }],
  hyperparameters: {
    type: 'object',
    properties: { epochs: { type: 'integer', default: 20, minimum: 1, maximum: 500, description: 'passes' } },
    additionalProperties: false,
  },
});

const asset = (tokenId: string, kind: PlazaAsset['kind'], manifestCid: string): PlazaAsset => ({
  tokenId,
  kind,
  owner: `0x${'11'.repeat(20)}`,
  pricePerUseWei: '0',
  pricePerUse: '0',
  licenseId: 0,
  transferCount: 0,
  contentRoot: `0x${'00'.repeat(32)}`,
  manifestCid,
  lineage: [],
});

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('PLAZA details', () => {
  it('serves I/O from the content store and the job ticket, evaluation from progress lines, null otherwise', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'aic-plaza-details-'));
    dirs.push(dataDir);
    const job = join(dataDir, 'jobs', '7');
    await mkdir(job, { recursive: true });
    const ticketManifest = JSON.stringify(manifest('t'));
    await writeFile(join(job, 'ticket.json'), JSON.stringify({ model: { manifest: ticketManifest } }));
    // the Model NFT the job trained: its manifest CID is the CID of the ticket's exact manifest text
    const trainedModelCid = await cidOfBytes(new TextEncoder().encode(ticketManifest));
    await writeFile(
      join(job, 'outcome.json'),
      JSON.stringify({ trainedAssetId: '3', resultPath: 'x', resultCid: 'y' }),
    );
    const lines = [
      { atMs: 1, step: 5, totalSteps: 10, loss: 0.9, accuracy: 0.5, provider: '0x' },
      { atMs: 2, step: 10, totalSteps: 10, loss: 0.25, provider: '0x' },
      'not json',
    ];
    await writeFile(join(job, 'progress.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n{broken\n`);
    const store = new Map([['cid-model', new TextEncoder().encode(JSON.stringify(manifest('m')))]]);
    const details = createPlazaDetails({ dataDir, content: { get: async (cid) => store.get(cid) } });
    const page = await details.enrich({
      totalMinted: 6,
      assets: [
        asset('6', 'Model', trainedModelCid),
        asset('5', 'Dataset', 'cid-data'),
        asset('4', 'TrainedAI', 'cid-elsewhere'),
        asset('3', 'TrainedAI', 'cid-trained'),
        asset('2', 'Model', 'cid-unknown'),
        asset('1', 'Model', 'cid-model'),
      ],
    });
    const [ticketModel, dataset, foreign, trained, unknown, model] = page.assets;
    expect(ticketModel?.io?.inputs[0]?.name).toBe('features');
    expect(dataset).not.toHaveProperty('io');
    expect(foreign).toMatchObject({ io: null, evaluation: null });
    expect(unknown).toMatchObject({ io: null });
    expect(model?.io).toEqual({
      task: 'tabular-classification',
      inputs: [{ name: 'features', dtype: 'float32', shape: [4], meaning: 'sepal and petal sizes in cm' }],
      outputs: [
        {
          name: 'species',
          dtype: 'float32',
          shape: [3],
          meaning: 'class probabilities',
          labels: ['a', 'b', 'c'],
          labelCount: 3,
        },
      ],
      hyperparameters: [
        { name: 'epochs', type: 'integer', default: 20, minimum: 1, maximum: 500, description: 'passes' },
      ],
    });
    expect(trained?.io?.task).toBe('tabular-classification');
    // the last loss reported, and the last accuracy (the final line had none)
    expect(trained?.evaluation).toEqual({ jobId: '7', finalLoss: 0.25, finalAccuracy: 0.5, steps: 10, totalSteps: 10 });
  });
});

type Event = { args: Record<string, unknown>; blockNumber: bigint; logIndex: number };
const ev = (block: number, args: Record<string, unknown>): Event => ({ args, blockNumber: BigInt(block), logIndex: 0 });
const by =
  (events: Event[], key: string) =>
  async (filter: Record<string, unknown>): Promise<Event[]> => {
    const wanted = filter[key] as unknown[] | undefined;
    if (wanted === undefined) return events;
    const norm = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
    return events.filter((e) => wanted.map(norm).includes(norm(e.args[key])));
  };

describe('PLAZA standing from chain events', () => {
  const A = `0x${'aa'.repeat(20)}` as const;
  const B = `0x${'bb'.repeat(20)}` as const;

  it("counts an asset's uses sold, jobs using it and its owner's PoV score", async () => {
    const ledger = {
      plaza: {
        getEvents: {
          UsesBought: by(
            [ev(1, { tokenId: 1n, uses: 3n, paid: 6n }), ev(2, { tokenId: 1n, uses: 1n, paid: 2n })],
            'tokenId',
          ),
        },
      },
      market: {
        getEvents: {
          JobCreated: by([ev(3, { datasetId: 1, modelId: 2 }), ev(4, { datasetId: 1, modelId: 5 })], 'none'),
        },
      },
      rewards: {
        getEvents: {
          ScoreRecorded: by(
            [ev(5, { epoch: 0n, contributor: A, score: 10n }), ev(6, { epoch: 1n, contributor: A, score: 5n })],
            'contributor',
          ),
        },
      },
    } as unknown as Pick<LedgerClient, 'plaza' | 'market' | 'rewards'>;
    const standings = await readAssetStandings(ledger, [
      { tokenId: 1n, owner: A },
      { tokenId: 2n, owner: B },
    ]);
    expect(standings.get('1')).toEqual({
      usesSold: 4,
      usesPaidWei: '8',
      jobsUsing: 2,
      ownerPovScore: '15',
      ownerPovEpochs: 2,
    });
    expect(standings.get('2')).toEqual({
      usesSold: 0,
      usesPaidWei: '0',
      jobsUsing: 1,
      ownerPovScore: '0',
      ownerPovEpochs: 0,
    });
  });

  it("counts a provider's jobs assigned, settled while it held them, slashed and preempted", async () => {
    const ledger = {
      market: {
        getEvents: {
          JobAssigned: by(
            [ev(1, { jobId: 1n, provider: A }), ev(2, { jobId: 2n, provider: A }), ev(3, { jobId: 3n, provider: B })],
            'provider',
          ),
          // job 2 moved to B after A was preempted: its settlement counts for B
          JobReassigned: by([ev(5, { jobId: 2n, provider: B })], 'provider'),
          ProviderSlashed: by([ev(6, { jobId: 3n, provider: B })], 'provider'),
          JobPreempted: by([ev(4, { jobId: 2n, provider: A })], 'provider'),
          JobSettled: by([ev(7, { jobId: 1n }), ev(8, { jobId: 2n })], 'none'),
        },
      },
    } as unknown as Pick<LedgerClient, 'market'>;
    const records = await readProviderRecords(ledger, [A, B]);
    expect(records.get(A)).toEqual({ jobsAssigned: 2, jobsSettled: 1, jobsSlashed: 0, jobsPreempted: 1 });
    expect(records.get(B)).toEqual({ jobsAssigned: 2, jobsSettled: 1, jobsSlashed: 1, jobsPreempted: 0 });
  });
});
