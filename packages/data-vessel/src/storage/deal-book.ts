/**
 * The provider's list of deals it serves, kept in `<dir>/deals.json` so a restarted provider still answers the
 * challenges on its deals (losing the list would cost it every collateral).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AicError } from '@aic/core';
import type { Hex } from '../commitments/index.ts';

export interface ServedDeal {
  root: Hex;
  segmentCount: number;
}

export interface DealBook {
  entries(): Promise<[bigint, ServedDeal][]>;
  add(dealId: bigint, deal: ServedDeal): Promise<void>;
  drop(dealId: bigint): Promise<void>;
}

/** Opens the book under `dir` (the file is read once, on first use). */
export function openDealBook(dir: string): DealBook {
  const path = join(dir, 'deals.json');
  let loaded: Promise<Map<bigint, ServedDeal>> | undefined;

  async function load(): Promise<Map<bigint, ServedDeal>> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return new Map(); // a new provider
    }
    try {
      const rows = JSON.parse(text) as [string, ServedDeal][];
      return new Map(rows.map(([id, deal]) => [BigInt(id), deal]));
    } catch (cause) {
      throw new AicError('STORAGE_DEAL_BOOK_CORRUPT', `cannot read ${path}`, { cause });
    }
  }
  const deals = () => {
    loaded ??= load();
    return loaded;
  };
  async function save(map: Map<bigint, ServedDeal>): Promise<void> {
    // Write-then-rename, so a crash leaves the old book rather than half a file.
    const rows = [...map].map(([id, deal]) => [id.toString(), deal]);
    await mkdir(dir, { recursive: true });
    await writeFile(`${path}.tmp`, JSON.stringify(rows));
    await rename(`${path}.tmp`, path);
  }

  return {
    async entries() {
      return [...(await deals())];
    },
    async add(dealId, deal) {
      const map = await deals();
      map.set(dealId, deal);
      await save(map);
    },
    async drop(dealId) {
      const map = await deals();
      if (map.delete(dealId)) await save(map);
    },
  };
}
