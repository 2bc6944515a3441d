/**
 * Which models this node holds weights (or a manifest) for, by asset id: the Model NFTs it published
 * (`<dataDir>/models/published.json`, manifest bytes in the content store) and the TrainedAI NFTs of its own settled
 * jobs (the requester's settlement writes `<dataDir>/jobs/<jobId>/outcome.json`, `result.safetensors` and keeps the
 * job's `ticket.json`, whose spec holds the model manifest). Read from disk on demand, so a job settled while the
 * node runs is found on its first call. A ticket (`aic-job-ticket/2`) holds the manifest's exact text, v1 (templates)
 * the parsed manifest.
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from '../state/atomic-file.ts';

export interface HeldModel {
  modelId: string;
  kind: 'model' | 'trained';
  /** The manifest: its CID in the content store (published), or the parsed manifest (a settled job's ticket). */
  manifestCid?: string;
  manifest?: unknown;
  /** The weights file of a TrainedAI; a published Model is served with its manifest's seeded initialization. */
  weightsPath?: string;
}

const publishedFileSchema = z.object({
  models: z.array(z.object({ modelId: z.string(), manifestCid: z.string() })).max(100_000),
});
const outcomeSchema = z.object({ trainedAssetId: z.string(), resultPath: z.string(), resultCid: z.string() });
// v2 tickets carry the manifest's exact text in model.manifest; v1 (templates) the parsed manifest in spec.manifest
const ticketManifestSchema = z.union([
  z.object({ model: z.object({ manifest: z.string() }) }).transform((t) => t.model.manifest as unknown),
  z.object({ spec: z.object({ manifest: z.unknown() }) }).transform((t) => t.spec.manifest),
]);

export interface ModelCatalog {
  get(modelId: string): Promise<HeldModel | undefined>;
  list(): Promise<HeldModel[]>;
  addPublished(modelId: string, manifestCid: string): Promise<void>;
}

export function createModelCatalog(dataDir: string): ModelCatalog {
  const publishedPath = join(dataDir, 'models', 'published.json');
  const published = async () => (await readJsonFile(publishedPath, publishedFileSchema))?.models ?? [];
  let writes: Promise<unknown> = Promise.resolve();

  const trained = async (): Promise<HeldModel[]> => {
    const jobsDir = join(dataDir, 'jobs');
    const entries = await readdir(jobsDir).catch(() => [] as string[]);
    const held: HeldModel[] = [];
    for (const entry of entries.filter((e) => /^[0-9]+$/.test(e))) {
      const dir = join(jobsDir, entry);
      const outcome = await readJsonFile(join(dir, 'outcome.json'), outcomeSchema).catch(() => undefined);
      if (!outcome) continue;
      const manifest = await ticketManifest(join(dir, 'ticket.json'));
      if (manifest === undefined) continue;
      held.push({ modelId: outcome.trainedAssetId, kind: 'trained', manifest, weightsPath: outcome.resultPath });
    }
    return held;
  };

  const list = async (): Promise<HeldModel[]> => [
    ...(await published()).map((m) => ({ modelId: m.modelId, kind: 'model' as const, manifestCid: m.manifestCid })),
    ...(await trained()),
  ];

  return {
    list,
    get: async (modelId) => (await list()).find((m) => m.modelId === modelId),
    addPublished(modelId, manifestCid) {
      const write = writes.then(async () => {
        const models = (await published()).filter((m) => m.modelId !== modelId);
        models.push({ modelId, manifestCid });
        await mkdir(dirname(publishedPath), { recursive: true, mode: 0o700 });
        await writeFileAtomic(publishedPath, JSON.stringify({ models }));
      });
      writes = write.catch(() => undefined);
      return write;
    },
  };
}

/** The model manifest inside a job ticket (untrusted here too: it is validated again when the model is built). */
async function ticketManifest(path: string): Promise<unknown> {
  try {
    const parsed = ticketManifestSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
