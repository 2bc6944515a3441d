import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readApiToken } from '../../src/api/api-token.ts';
import { createApiClient } from '../../src/api/client.ts';
import type { NodeProcess } from '../../src/spawn.ts';
import { createTestAccount, startTestNode } from '../helpers/cluster.ts';
import { sampleJob, sampleOffer } from '../helpers/fixtures.ts';

describe('a node killed with SIGKILL', () => {
  let root: string;
  let node: NodeProcess | undefined;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'aic-kill-'));
    await createTestAccount(join(root, 'node'));
  });
  afterAll(async () => {
    await node?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('loses nothing it acknowledged: offers and announcements survive, no torn or temp files', async () => {
    node = await startTestNode(join(root, 'node'));
    const { peerId, address } = node.ready;
    const api = createApiClient(node.ready.apiUrl, { token: readApiToken(join(root, 'node')) });
    // Acknowledged writes (201) interleaved with a burst the kill may interrupt.
    const acknowledged = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api.publishOffer({ body: sampleOffer({ offerId: `offer-${i}` }) })),
    );
    const job = await api.announceJob({ body: sampleJob() });
    const burst = Array.from({ length: 20 }, (_, i) =>
      api.publishOffer({ body: sampleOffer({ offerId: `burst-${i}` }) }).catch(() => undefined),
    );
    node.child.kill('SIGKILL');
    expect(await node.exited).toBeNull(); // killed, no clean shutdown
    await Promise.all(burst);

    node = await startTestNode(join(root, 'node'));
    expect(node.ready.peerId).toBe(peerId);
    expect(node.ready.address).toBe(address);
    const again = createApiClient(node.ready.apiUrl);
    const own = new Set((await again.listOffers({ query: { source: 'own' } })).offers.map((o) => o.offerId));
    for (const offer of acknowledged) expect(own.has(offer.offerId)).toBe(true);
    const jobs = (await again.listJobAnnouncements()).announcements.map((j) => j.jobId);
    expect(jobs).toContain(job.jobId);
    expect((await readdir(join(root, 'node', 'node'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
