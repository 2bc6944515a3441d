/** The data owner's record of where its replicas are (`<dataDir>/storage/placements.json`), so audits and repairs
 * survive a restart. */
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from '../state/atomic-file.ts';

export interface Placement {
  datasetId: bigint;
  dealId: bigint;
  peerId: string;
  provider: string;
}

const fileSchema = z.array(
  z.strictObject({
    datasetId: z.string().regex(/^[0-9]{1,78}$/),
    dealId: z.string().regex(/^[0-9]{1,78}$/),
    peerId: z.string().min(1).max(200),
    provider: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  }),
);

export interface PlacementBook {
  all(): Placement[];
  of(datasetId: bigint): Placement[];
  add(placement: Placement): Promise<void>;
  drop(dealId: bigint): Promise<void>;
}

export async function loadPlacementBook(dir: string): Promise<PlacementBook> {
  const path = join(dir, 'placements.json');
  const rows = (await readJsonFile(path, fileSchema)) ?? [];
  let placements: Placement[] = rows.map((r) => ({ ...r, datasetId: BigInt(r.datasetId), dealId: BigInt(r.dealId) }));
  const save = () =>
    writeFileAtomic(
      path,
      JSON.stringify(placements.map((p) => ({ ...p, datasetId: String(p.datasetId), dealId: String(p.dealId) }))),
    );
  return {
    all: () => [...placements],
    of: (datasetId) => placements.filter((p) => p.datasetId === datasetId),
    async add(placement) {
      placements = [...placements.filter((p) => p.dealId !== placement.dealId), placement];
      await save();
    },
    async drop(dealId) {
      placements = placements.filter((p) => p.dealId !== dealId);
      await save();
    },
  };
}
