/** Shared by the mid-job fault tests: hit the job's provider once training passes a step, and the root an
 * uninterrupted run of the same ticket commits (what "nothing lost" is checked against). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeJobTicket, ticketHash } from '@aic/gpu-vessel';
import { trainJob } from '@aic/model-vessel';
import { getAddress } from 'viem';
import type { JobNetwork } from '../../src/job-network.ts';
import type { DevnetNodeInfo } from '../../src/nodes-events.ts';
import { ticketTrainData } from '../../src/template-train-split.ts';

/** An `onStatus` hook that calls `hit` once with the provider's node when training reaches `step`. */
export function atTrainingStep(net: JobNetwork, step: number, hit: (provider: DevnetNodeInfo) => Promise<unknown>) {
  const state: { provider?: `0x${string}`; done?: Promise<unknown> } = {};
  const onStatus = (s: { state: string; provider: string; step?: number | undefined }) => {
    if (state.done !== undefined || s.state !== 'Running' || (s.step ?? 0) < step) return;
    const provider = getAddress(s.provider);
    state.provider = provider;
    state.done = hit(net.nodes.find((node) => getAddress(node.address) === provider)!);
    state.done.catch(() => undefined); // surfaced where the test awaits state.done
  };
  return { onStatus, state };
}

/** The commitment root of the job's ticket trained locally without interruption. */
export async function uninterruptedRoot(net: JobNetwork, jobId: bigint): Promise<`0x${string}`> {
  const requester = net.nodes.find((node) => node.role === 'requester')!;
  const bytes = new Uint8Array(await readFile(join(requester.dataDir, 'jobs', String(jobId), 'ticket.json')));
  const ticket = decodeJobTicket(bytes, ticketHash(bytes));
  const local = await trainJob(ticket.spec, await ticketTrainData(ticket));
  local.model.dispose();
  return local.commitmentRoot;
}
