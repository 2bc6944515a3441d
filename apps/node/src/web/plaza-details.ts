/**
 * What PLAZA's model and TrainedAI cards show beyond the chain's record, from what this node holds: a model's I/O
 * dictionary and hyperparameter schema (its manifest's bytes, found by the NFT's manifest CID in the content store,
 * or the manifest this node published or trained against), and a TrainedAI's evaluation (the final loss and accuracy
 * of the progress lines the provider sent to the requester node that settled the job). Another node's TrainedAI is
 * `null` here ("not known to this node"): nothing is guessed.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cidOfBytes } from '@aic/model-vessel';
import { z } from 'zod';
import type { AssetEvaluation, ModelIo, PlazaAsset, PlazaAssets } from '../api/plaza-schemas.ts';
import { createModelCatalog } from '../models/model-catalog.ts';

/** Class names listed per output (a 10,000-class model's card names the first few and the count). */
const LABELS_SHOWN = 20;

export interface PlazaDetails {
  /** Adds `io` to Model and TrainedAI assets and `evaluation` to TrainedAIs (null: not known to this node). */
  enrich(page: PlazaAssets): Promise<PlazaAssets>;
}

export interface PlazaDetailsComponents {
  dataDir: string;
  /** The data role's content store (offline reads only). */
  content?: { get(cid: string): Promise<Uint8Array | undefined> } | undefined;
}

const tensor = z.object({
  name: z.string(),
  dtype: z.string(),
  shape: z.array(z.number().int()),
  meaning: z.string(),
  labels: z.array(z.string()).optional(),
});
const hyperparameter = z.object({
  type: z.string(),
  default: z.union([z.number(), z.string(), z.boolean()]),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  enum: z.array(z.union([z.number(), z.string()])).optional(),
  description: z.string().optional(),
});
/** The part of `aic-model/1` a card shows; the rest of the manifest is not checked here. */
const manifestView = z.object({
  schema: z.literal('aic-model/1'),
  task: z.string(),
  inputs: z.array(tensor),
  outputs: z.array(tensor),
  hyperparameters: z.object({ properties: z.record(z.string(), hyperparameter) }),
});

const outcomeSchema = z.object({ trainedAssetId: z.string() });
const ticketSchema = z.object({ model: z.object({ manifest: z.string().max(8_000_000) }) });
const progressLine = z.object({
  step: z.number(),
  totalSteps: z.number(),
  loss: z.number().optional(),
  accuracy: z.number().optional(),
});

export function createPlazaDetails(c: PlazaDetailsComponents): PlazaDetails {
  const catalog = createModelCatalog(c.dataDir);
  const jobsDir = join(c.dataDir, 'jobs');

  /**
   * Manifest CID → manifest, from the v2 job tickets this node holds: a ticket carries the model manifest's exact
   * text, so its CID is the Model NFT's manifest CID (the requester's node holds the model it trained, not its bytes).
   */
  const ticketManifests = async (): Promise<Map<string, unknown>> => {
    const out = new Map<string, unknown>();
    const entries = await readdir(jobsDir).catch(() => [] as string[]);
    for (const jobId of entries.filter((e) => /^[0-9]+$/.test(e))) {
      const ticket = ticketSchema.safeParse(parseJson(await readText(join(jobsDir, jobId, 'ticket.json'))));
      if (!ticket.success) continue;
      const text = ticket.data.model.manifest;
      out.set(await cidOfBytes(new TextEncoder().encode(text)), parseJson(text));
    }
    return out;
  };

  const ioOf = async (asset: PlazaAsset, held: Map<string, unknown>): Promise<ModelIo | null> => {
    const fromStore = async () => {
      const bytes = await c.content?.get(asset.manifestCid).catch(() => undefined);
      return bytes === undefined ? undefined : parseJson(new TextDecoder().decode(bytes));
    };
    // a v2 ticket holds the manifest's exact text, a v1 ticket the parsed manifest
    const raw = held.get(asset.tokenId) ?? held.get(asset.manifestCid);
    const parsed = manifestView.safeParse(
      raw === undefined ? await fromStore() : typeof raw === 'string' ? parseJson(raw) : raw,
    );
    if (!parsed.success) return null;
    const m = parsed.data;
    const view = (t: z.infer<typeof tensor>) => ({
      name: t.name,
      dtype: t.dtype,
      shape: t.shape,
      meaning: t.meaning,
      ...(t.labels === undefined ? {} : { labels: t.labels.slice(0, LABELS_SHOWN), labelCount: t.labels.length }),
    });
    return {
      task: m.task,
      inputs: m.inputs.map(view),
      outputs: m.outputs.map(view),
      hyperparameters: Object.entries(m.hyperparameters.properties).map(([name, p]) => ({ name, ...p })),
    };
  };

  /** TrainedAI id → the evaluation of the job that minted it, for the jobs this node settled as requester. */
  const evaluations = async (): Promise<Map<string, AssetEvaluation>> => {
    const out = new Map<string, AssetEvaluation>();
    const entries = await readdir(jobsDir).catch(() => [] as string[]);
    for (const jobId of entries.filter((e) => /^[0-9]+$/.test(e))) {
      const outcome = outcomeSchema.safeParse(parseJson(await readText(join(jobsDir, jobId, 'outcome.json'))));
      if (!outcome.success) continue;
      const lines = (await readText(join(jobsDir, jobId, 'progress.jsonl')))
        .split('\n')
        .map((l) => progressLine.safeParse(parseJson(l)))
        .flatMap((r) => (r.success ? [r.data] : []));
      const last = lines.at(-1);
      out.set(outcome.data.trainedAssetId, {
        jobId,
        finalLoss: lines.findLast((l) => l.loss !== undefined)?.loss ?? null,
        finalAccuracy: lines.findLast((l) => l.accuracy !== undefined)?.accuracy ?? null,
        steps: last?.step ?? 0,
        totalSteps: last?.totalSteps ?? 0,
      });
    }
    return out;
  };

  return {
    async enrich(page) {
      if (!page.assets.some((a) => a.kind === 'Model' || a.kind === 'TrainedAI')) return page;
      const [byId, byCid, evaluated] = await Promise.all([
        catalog
          .list()
          .then((models) => new Map(models.map((m) => [m.modelId, m.manifest])))
          .catch(() => new Map<string, unknown>()),
        ticketManifests().catch(() => new Map<string, unknown>()),
        evaluations().catch(() => new Map<string, AssetEvaluation>()),
      ]);
      // token ids are digits and CIDs are base32 starting with b: one map holds both keys
      const held = new Map([...byCid, ...[...byId].filter(([, m]) => m !== undefined)]);
      const assets = await Promise.all(
        page.assets.map(async (asset) => {
          if (asset.kind !== 'Model' && asset.kind !== 'TrainedAI') return asset;
          const io = await ioOf(asset, held);
          return asset.kind === 'Model'
            ? { ...asset, io }
            : { ...asset, io, evaluation: evaluated.get(asset.tokenId) ?? null };
        }),
      );
      return { ...page, assets };
    },
  };
}

async function readText(path: string): Promise<string> {
  return await readFile(path, 'utf8').catch(() => '');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
