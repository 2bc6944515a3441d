import type { Logger } from 'pino';
import type { z } from 'zod';
import type { NodeMetrics } from '../metrics.ts';
import { type ItemPolicy, unexpired, upsertBounded } from '../state/node-state.ts';
import { loadPersistedValue } from '../state/persisted-value.ts';

/** Own and received items of one gossip kind (offers, job announcements), persisted in one file. */
export interface ItemBook<T> {
  /** Records an item this node published; resolves once it is on disk. */
  addOwn(item: T): Promise<void>;
  /** Records an item from a peer; resolves once it is on disk. */
  addReceived(item: T): Promise<void>;
  list(source: 'own' | 'received' | 'all'): T[];
  /** Own items that are still valid (to republish after a restart). */
  ownUnexpired(): T[];
  flush(): Promise<void>;
}

/** Loads (or creates) an item book backed by an atomically written JSON file. */
export async function loadItemBook<T>(
  init: { path: string; schema: z.ZodType<{ own: T[]; received: T[] }> },
  components: { logger: Logger; metrics: NodeMetrics; policy: ItemPolicy<T>; now: () => number },
): Promise<ItemBook<T>> {
  const { policy, now } = components;
  const file = await loadPersistedValue(
    { path: init.path, schema: init.schema, initial: { own: [], received: [] } },
    components,
  );
  const update = (side: 'own' | 'received', item: T) => {
    const current = file.get();
    return file.set({ ...current, [side]: upsertBounded(current[side], item, policy, now()) });
  };
  return {
    addOwn: (item) => update('own', item),
    addReceived: (item) => update('received', item),
    list(source) {
      const { own, received } = file.get();
      const items = source === 'own' ? own : source === 'received' ? received : [...own, ...received];
      return unexpired(items, policy, now());
    },
    ownUnexpired: () => unexpired(file.get().own, policy, now()),
    flush: () => file.flush(),
  };
}
