import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { AicNetwork } from '@aic/network';
import { lpStream } from '@libp2p/utils';
import { bytesToHex } from '@noble/hashes/utils.js';
import { BULK_TAG_BYTES, BULK_TICKET_BYTES, deriveBulkKeys, FrameOpener, FrameSealer } from './bulk-crypto.ts';
import { BULK_LIMITS, BULK_PROTOCOL, BulkGrantStatus, bulkListenHost, encodeBulkGrant } from './bulk-wire.ts';
import { CHUNK_SERVER_LIMITS, type SealedChunkStore } from './chunk-server.ts';
import { CHUNK_REQUEST_BYTES, ChunkStatus, decodeChunkRequest, encodeChunkResponse } from './chunk-wire.ts';
import { createSlots, type Slots } from './slots.ts';

/** A ticket handed over Noise and not yet used: the secret, for whom, until when. */
interface Ticket {
  readonly secret: Uint8Array;
  readonly fetcher: string;
  readonly timer: NodeJS.Timeout;
}

/** One node's bulk server: the TCP listener and the tickets it granted. */
interface BulkServer {
  store: SealedChunkStore;
  readonly tcp: Server;
  readonly port: number;
  readonly tickets: Map<string, Ticket>;
  readonly total: Slots;
  readonly sockets: Set<Socket>;
}

const servers = new WeakMap<AicNetwork, BulkServer>();

function dropTicket(server: BulkServer, id: string): Ticket | undefined {
  const ticket = server.tickets.get(id);
  if (ticket) {
    clearTimeout(ticket.timer);
    server.tickets.delete(id);
  }
  return ticket;
}

/** Grants a ticket to the (Noise-authenticated) `fetcher`, unless it or the server already holds too many. */
function grant(server: BulkServer, fetcher: string): Uint8Array {
  const held = [...server.tickets.values()].filter((t) => t.fetcher === fetcher).length;
  if (held >= BULK_LIMITS.ticketsPerPeer || server.tickets.size >= BULK_LIMITS.ticketsTotal) {
    return encodeBulkGrant({ status: BulkGrantStatus.busy });
  }
  const ticket = randomBytes(BULK_TICKET_BYTES);
  const secret = randomBytes(32);
  const id = bytesToHex(ticket);
  const timer = setTimeout(() => dropTicket(server, id), BULK_LIMITS.ticketTtlMs);
  timer.unref();
  server.tickets.set(id, { secret, fetcher, timer });
  return encodeBulkGrant({ status: BulkGrantStatus.ok, port: server.port, ticket, secret });
}

/** Serves one bulk connection: the ticket first, then sealed requests answered as chunks are read (any order). */
function serveSocket(net: AicNetwork, server: BulkServer, socket: Socket): void {
  server.sockets.add(socket);
  socket.on('close', () => server.sockets.delete(socket));
  socket.on('error', () => socket.destroy());
  socket.setNoDelay(true);
  socket.setTimeout(CHUNK_SERVER_LIMITS.idleTimeoutMs);
  const slots = createSlots(CHUNK_SERVER_LIMITS.maxInFlightPerStream);
  let inFlight = 0;
  let ended = false;
  let opener: FrameOpener | undefined;
  let sealer: FrameSealer | undefined;
  let head = new Uint8Array(0);
  const handshake = setTimeout(() => {
    if (!opener) socket.destroy(); // no ticket shown in time
  }, BULK_LIMITS.handshakeTimeoutMs);
  handshake.unref();
  socket.on('close', () => clearTimeout(handshake));
  let draining: Promise<void> | undefined;
  // One wait for 'drain' shared by every answer that found the socket full (not a listener per answer).
  const drained = () => {
    draining ??= waitDrain(socket).finally(() => {
      draining = undefined;
    });
    return draining;
  };
  const endIfDone = () => {
    if (ended && inFlight === 0 && !socket.destroyed) socket.end();
  };
  const answer = async (requestId: number, sealed: Uint8Array | undefined) => {
    const header = encodeChunkResponse(requestId, sealed ? ChunkStatus.ok : ChunkStatus.notFound);
    if (socket.destroyed || !sealer) return;
    // Sealed and written in one go (the nonce is the frame number); corked so the pieces leave in one writev. The
    // chunk itself is written as stored (authenticated, not re-encrypted: it is dataset-key ciphertext already).
    socket.cork();
    let room = true;
    for (const piece of sealer.seal([header], sealed ? [sealed] : [])) room = socket.write(piece);
    socket.uncork();
    if (!room) await drained();
  };
  const onRequest = (frame: Uint8Array) => {
    const request = decodeChunkRequest(frame);
    if (!request || inFlight >= CHUNK_SERVER_LIMITS.maxInFlightPerStream) return void socket.destroy();
    inFlight++;
    void (async () => {
      await slots.acquire();
      await server.total.acquire();
      try {
        const sealed = await server.store.get(request.root, request.chunkIndex);
        inFlight--; // counted out before the write: the client may send its next request as soon as it has this
        await answer(request.requestId, sealed);
      } catch {
        socket.destroy();
      } finally {
        server.total.release();
        slots.release();
        endIfDone();
      }
    })();
  };
  const onData = (data: Uint8Array) => {
    if (!opener) {
      head = Buffer.concat([head, data]);
      if (head.length < BULK_TICKET_BYTES) return;
      const ticket = head.subarray(0, BULK_TICKET_BYTES);
      const granted = dropTicket(server, bytesToHex(ticket)); // one use only
      if (!granted) return void socket.destroy();
      const keys = deriveBulkKeys(granted.secret, ticket, net.peerId.toString(), granted.fetcher);
      clearTimeout(handshake);
      opener = new FrameOpener(keys.toHolder, CHUNK_REQUEST_BYTES + BULK_TAG_BYTES);
      sealer = new FrameSealer(keys.toFetcher);
      data = head.subarray(BULK_TICKET_BYTES);
    }
    const { frames, failure } = opener.push(data);
    for (const frame of frames) onRequest(frame.subarray());
    if (failure || opener.buffered > 4 * (CHUNK_REQUEST_BYTES + 32)) socket.destroy();
  };
  socket.on('data', onData);
  socket.on('end', () => {
    ended = true;
    endIfDone();
  });
  socket.on('timeout', () => (inFlight === 0 ? socket.end() : socket.destroy()));
}

function waitDrain(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    // A reader that takes no bytes for this long loses its connection (it only costs its own connection).
    const timer = setTimeout(() => {
      socket.destroy();
      done();
    }, CHUNK_SERVER_LIMITS.writeTimeoutMs);
    socket.once('drain', done);
    socket.once('close', done);
  });
}

async function listen(host: string): Promise<Server> {
  const tcp = createServer({ allowHalfOpen: true });
  tcp.maxConnections = BULK_LIMITS.maxConnections;
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(0, host, () => {
      tcp.off('error', reject);
      resolve();
    });
  });
  return tcp;
}

/**
 * Starts (or re-points at `store`) the bulk path of a holder: `/aic/data-bulk/1.0.0` on libp2p grants a Noise-
 * authenticated peer a one-time ticket and secret for a TCP port of this node (bound on the host libp2p listens on),
 * where the same chunk requests and answers as `/aic/data-chunk/2.0.0` travel as AES-256-GCM frames (`bulk-crypto.ts`)
 * under the same limits. Closed with the network or by {@link stopBulkServer}. Returns false when the node has no
 * TCP listen address to bind beside (fetchers then use the libp2p stream).
 */
export async function startBulkServer(net: AicNetwork, store: SealedChunkStore): Promise<boolean> {
  const existing = servers.get(net);
  if (existing) {
    existing.store = store;
    return true;
  }
  const host = bulkListenHost(net.libp2p.getMultiaddrs());
  if (host === undefined) return false;
  const tcp = await listen(host);
  const address = tcp.address();
  if (address === null || typeof address === 'string') throw new Error('bulk server has no TCP port');
  const server: BulkServer = {
    store,
    tcp,
    port: address.port,
    tickets: new Map(),
    total: createSlots(CHUNK_SERVER_LIMITS.maxInFlightTotal),
    sockets: new Set(),
  };
  servers.set(net, server);
  tcp.on('connection', (socket) => serveSocket(net, server, socket));
  await net.libp2p.handle(
    BULK_PROTOCOL,
    async (stream, connection) => {
      const lp = lpStream(stream, { maxDataLength: 8 });
      try {
        await lp.read({ signal: AbortSignal.timeout(CHUNK_SERVER_LIMITS.writeTimeoutMs) });
        const answer = grant(server, connection.remotePeer.toString());
        await lp.write(answer, { signal: AbortSignal.timeout(CHUNK_SERVER_LIMITS.writeTimeoutMs) });
        await stream.close();
      } catch (error) {
        stream.abort(error instanceof Error ? error : new Error('bulk grant failed'));
      }
    },
    { maxInboundStreams: 8, force: true },
  );
  net.libp2p.addEventListener('stop', () => void stopBulkServer(net), { once: true });
  return true;
}

/** Stops the bulk path: no more tickets, the listener and every open bulk connection closed. */
export async function stopBulkServer(net: AicNetwork): Promise<void> {
  const server = servers.get(net);
  if (!server) return;
  servers.delete(net);
  for (const id of [...server.tickets.keys()]) dropTicket(server, id);
  await net.libp2p.unhandle(BULK_PROTOCOL).catch(() => {});
  for (const socket of server.sockets) socket.destroy();
  await new Promise<void>((resolve) => server.tcp.close(() => resolve()));
}
