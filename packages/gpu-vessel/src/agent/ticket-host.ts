/**
 * Which peer serves a job's ticket. Usually the job's requester's own node; a job a browser wallet paid has no node
 * of its requester, and the node that prepared its ticket and adopted it serves it instead (issue 14). Such a host
 * is found by asking the connected peers in turn; whatever a peer answers, the caller checks the ticket's bytes
 * against the specHash escrowed on chain, so no peer can pass off another ticket.
 */
import { AicError, pause } from '@aic/core';
import { jobTicketFetchProtocol } from '../jobs/protocols.ts';
import type { AgentContext } from './context.ts';

/** How long each peer gets to answer a probe. */
const PROBE_TIMEOUT_MS = 5_000;
/** How long to wait for the requester's node (or a host) to be connected, as peerOfAddress waits. */
const FIND_TIMEOUT_MS = 15_000;

/** Hosts found so far, per network, by job id. */
const hostsByNet = new WeakMap<object, Map<string, string>>();

/** The PeerId to ask for the job's ticket: the requester's node when it is connected, else a peer that holds it. */
export async function ticketHostOf(
  ctx: AgentContext,
  job: { jobId: bigint; requester: string },
  signal?: AbortSignal,
): Promise<string> {
  let hosts = hostsByNet.get(ctx.net);
  if (hosts === undefined) {
    hosts = new Map();
    hostsByNet.set(ctx.net, hosts);
  }
  const until = Date.now() + FIND_TIMEOUT_MS;
  for (;;) {
    const peers = ctx.net.getPeers();
    const own = peers.find((p) => p.address?.toLowerCase() === job.requester.toLowerCase());
    if (own) return own.peerId;
    const known = hosts.get(String(job.jobId));
    if (known !== undefined && peers.some((p) => p.peerId === known)) return known;
    for (const peer of peers) {
      if (signal?.aborted) break;
      const answered = await ctx.net
        .request(peer.peerId, jobTicketFetchProtocol, { jobId: String(job.jobId) }, probeOptions(signal))
        .then(
          () => true,
          () => false,
        );
      if (answered) {
        hosts.set(String(job.jobId), peer.peerId);
        return peer.peerId;
      }
    }
    if (Date.now() > until || signal?.aborted) {
      // The same error peerOfAddress gives: transient, the caller's retry asks again.
      throw new AicError('JOB_PEER_UNREACHABLE', `no connected peer serves the ticket of job ${job.jobId}`);
    }
    await pause(500, signal);
  }
}

function probeOptions(signal: AbortSignal | undefined): { signal?: AbortSignal; timeoutMs: number } {
  return signal ? { signal, timeoutMs: PROBE_TIMEOUT_MS } : { timeoutMs: PROBE_TIMEOUT_MS };
}
