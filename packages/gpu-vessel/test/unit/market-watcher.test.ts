/**
 * The market watcher goes on from its cursor after a restart (no replay from genesis for roles that did not ask for
 * one), replays history once to a role that asks for it, saves the cursor after each poll, and stop() waits for the
 * poll in flight.
 */
import type { LedgerClient } from '@aic/ledger';
import { describe, expect, it } from 'vitest';
import { type BlockCursor, watchMarket } from '../../src/chain/market-watcher.ts';

/** A chain of one JobEscrowed event per block 1..head, served like getContractEvents. */
function fakeLedger(head: { value: bigint }) {
  const ranges: [bigint, bigint][] = [];
  const publicClient = {
    getBlockNumber: async () => head.value,
    getContractEvents: async ({ fromBlock, toBlock }: { fromBlock: bigint; toBlock: bigint }) => {
      ranges.push([fromBlock, toBlock]);
      const out = [];
      for (let b = fromBlock < 1n ? 1n : fromBlock; b <= toBlock; b++) {
        out.push({ eventName: 'JobEscrowed', args: { jobId: b, amount: 1n }, blockNumber: b });
      }
      return out;
    },
  };
  return { ledger: { publicClient, market: { address: '0x01' } } as unknown as LedgerClient, ranges };
}

function memoryCursor(start?: bigint): BlockCursor & { saved: bigint[] } {
  const saved: bigint[] = [];
  return {
    saved,
    load: async () => start,
    save: async (b) => void saved.push(b),
  };
}

/** Resolves once `check` holds, polling every 10 ms, failing after 5 s. */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in 5 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('market watcher', () => {
  it('goes on after its cursor, and replays history only to the listener that asks', async () => {
    const head = { value: 10n };
    const { ledger } = fakeLedger(head);
    const cursor = memoryCursor(6n);
    const watcher = watchMarket(ledger, { intervalMs: 20, cursor });
    const fresh: bigint[] = [];
    const replayed: bigint[] = [];
    watcher.on({ JobEscrowed: (e) => void fresh.push(e.args.jobId) });
    watcher.on({ JobEscrowed: (e) => void replayed.push(e.args.jobId) }, { replayFrom: 0n });
    await watcher.start();
    await until(() => fresh.length >= 4);
    head.value = 12n;
    await until(() => fresh.length >= 6);
    await watcher.stop();
    expect(fresh).toEqual([7n, 8n, 9n, 10n, 11n, 12n]);
    expect(replayed).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n, 11n, 12n]);
    expect(cursor.saved.at(-1)).toBe(12n);
  });

  it('starts at genesis without a cursor; stop() waits for the handler in flight', async () => {
    const { ledger } = fakeLedger({ value: 3n });
    const watcher = watchMarket(ledger, { intervalMs: 20 });
    const seen: bigint[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let finished = false;
    watcher.on({
      JobEscrowed: async (e) => {
        seen.push(e.args.jobId);
        if (e.args.jobId === 1n) {
          await held;
          finished = true;
        }
      },
    });
    await watcher.start();
    await until(() => seen.length === 1);
    const stopped = watcher.stop();
    setTimeout(release, 50);
    await stopped;
    expect(finished).toBe(true);
    expect(seen).toEqual([1n]); // nothing delivered after stop
  });
});
