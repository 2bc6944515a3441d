/**
 * Gossip delivery latency: 30 AIC network peers on loopback, spread over worker threads (each its own event loop,
 * as separate nodes would be), each bootstrapping to a few earlier peers (peer exchange fills in the rest).
 * Publishers take turns sending provider offers; every other peer records the time from publish to its `offer`
 * event (signature, replay and schema checks included), on the shared wall clock (timeOrigin + now).
 * Baselines in the same run: a libp2p ping RTT between two neighbours (the floor of one hop) and the CPU time to
 * open one offer (paid by each of the 29 receivers; on a machine with fewer cores than workers they queue).
 * Measured offers follow one another at a pace that keeps the peers' CPU under a quarter of their cores, from the
 * CPU that warm-up offers (published one at a time) cost all peers together.
 *
 *   npm run bench -- gossip [--peers 30] [--workers N (default: cores, ≤ 5)] [--offers 150] [--interval-ms N]
 *                           [--heartbeat-ms 1000] [--d 4 --dlo 3 --dhi 6 --dlazy 6 --dout 2] [--flood-publish true]
 * Last line: {"bench":"gossip","p50Ms":..,"p99Ms":..,"peers":30,...,"cpuMsPerOffer":..,"cpuPerOfferInOpens":..} (CPU of
 * all peers per offer, and the same in units of opening one offer in the same run: the figure to compare builds and
 * settings by on a busy machine, where latency mostly measures the other load and raw CPU time swells with it).
 * Where the p99 comes from: `eventLoopP99Ms` (the worst worker's event-loop delay while offers flow: a gossip p99
 * near it is CPU starvation, the peers waiting for a core), the p99 of deliveries straight from the publisher
 * (`p99DirectMs`, one hop) and of relayed ones (`p99RelayedMs`), and the share that came later than one heartbeat
 * (`afterHeartbeatShare`: recovered by IHAVE/IWANT gossip rather than pushed through the mesh), each with the load.
 */
import '@aic/core/polyfills';
import { availableParallelism, loadavg } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import {
  type AicNetwork,
  createAicNetwork,
  createWireSigner,
  GOSSIP_MESH_DEFAULTS,
  GOSSIP_TOPICS,
  type GossipMeshInit,
  providerOfferSpec,
  WireCodec,
} from '@aic/network';
import { generatePrivateKey } from 'viem/accounts';
import { benchOffer, now } from './helpers/bench-offer.ts';
import { type EventLoopDelay, EventLoopDelayMonitor } from './helpers/event-loop-delay.ts';

/** Gossipsub settings under test (undefined: the network's defaults). */
interface GossipTuning {
  heartbeatMs?: number;
  mesh: GossipMeshInit;
}

type Command =
  | { cmd: 'start'; count: number; bootstrap: string[]; tuning: GossipTuning }
  | { cmd: 'loop-reset' }
  | { cmd: 'scores' }
  | { cmd: 'meshed' }
  | { cmd: 'settle' }
  | { cmd: 'ping' }
  | { cmd: 'publish'; peer: number; offerId: string }
  | { cmd: 'report' }
  | { cmd: 'stop' };

/** Waits (≤ 30 s) until this event loop lags < 20 ms for 2 s in a row: handshakes take a while to settle. */
async function settle(): Promise<void> {
  const deadline = Date.now() + 30_000;
  let quietSince = Date.now();
  let last = performance.now();
  while (Date.now() < deadline && Date.now() - quietSince < 2_000) {
    await new Promise((r) => setTimeout(r, 10));
    const lagMs = performance.now() - last - 10;
    last = performance.now();
    if (lagMs > 20) quietSince = Date.now();
  }
}

/** A worker: runs some peers and answers the main thread's commands. */
async function runWorker(): Promise<void> {
  const nets: AicNetwork[] = [];
  const sent: Array<[string, number]> = [];
  const delivered: Delivery[] = [];
  const loop = new EventLoopDelayMonitor();
  const handle = async (command: Command): Promise<unknown> => {
    switch (command.cmd) {
      case 'start': {
        for (let i = 0; i < command.count; i++) {
          const known = [...command.bootstrap, ...nets.map((n) => n.multiaddrs()[0] ?? '')];
          const net = await createAicNetwork({
            privateKey: generatePrivateKey(),
            listen: ['/ip4/127.0.0.1/tcp/0'],
            bootstrap: known.sort(() => Math.random() - 0.5).slice(0, 3),
            coordinatesIntervalMs: 60_000,
            gossipMesh: command.tuning.mesh,
            ...(command.tuning.heartbeatMs === undefined ? {} : { gossipHeartbeatMs: command.tuning.heartbeatMs }),
          });
          // Who relayed it and who signed it, kept raw: matching them here would cost CPU inside the measurement.
          net.addEventListener('offer', (e) =>
            delivered.push([e.detail.payload.offerId, now(), e.detail.relayedBy, e.detail.sender]),
          );
          await net.start();
          nets.push(net);
        }
        return {
          addrs: nets.map((n) => n.multiaddrs()[0] ?? ''),
          ids: nets.map((n) => [n.peerId.toString(), n.address] as [string, string]),
        } satisfies Started;
      }
      case 'loop-reset':
        return loop.reset();
      case 'scores':
        // Gossipsub's score of every neighbour: broken IWANT promises (a loaded peer answering after 3 s) push it
        // below the gossip threshold (-10), and such a peer is pruned from the mesh and gets no IHAVE.
        return nets.flatMap((n) => n.peerScores().map((p) => p.gossipScore));
      case 'meshed':
        return nets.every((n) => n.meshPeers(GOSSIP_TOPICS.offers).length >= 2);
      case 'settle':
        return settle();
      case 'ping': {
        const [first] = nets;
        const neighbour = first?.libp2p.getPeers()[0];
        return neighbour === undefined ? Number.NaN : first?.libp2p.services.ping.ping(neighbour);
      }
      case 'publish': {
        sent.push([command.offerId, now()]);
        return nets[command.peer]?.publishOffer(benchOffer(command.offerId));
      }
      case 'report':
        return { sent, delivered, eventLoop: loop.read() } satisfies Report;
      case 'stop':
        loop.stop();
        await Promise.all(nets.map((n) => n.stop()));
        return undefined;
    }
  };
  parentPort?.on('message', (command: Command) => {
    void handle(command).then((result) => parentPort?.postMessage({ ok: true, result }));
  });
}

/** The main thread's handle on one worker: one command at a time, answered in order. */
class PeerWorker {
  readonly #worker: Worker;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(script: string) {
    const bootstrap = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(script)});`;
    this.#worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), {
      workerData: { peer: true },
    });
  }

  send<T>(command: Command): Promise<T> {
    const next = this.#queue.then(
      () =>
        new Promise<T>((resolve, reject) => {
          this.#worker.once('error', reject);
          this.#worker.once('message', (m: { result: T }) => {
            this.#worker.off('error', reject);
            resolve(m.result);
          });
          this.#worker.postMessage(command);
        }),
    );
    this.#queue = next.catch(() => undefined);
    return next;
  }

  terminate(): Promise<number> {
    return this.#worker.terminate();
  }
}

/** CPU ms to open (decode, check signature/replay/schema) one offer from a known sender: median of 5 batches. */
function measureOpenMs(): number {
  const sender = new WireCodec({ signer: createWireSigner(generatePrivateKey()) });
  const receiver = new WireCodec({ signer: createWireSigner(generatePrivateKey()) });
  receiver.open(providerOfferSpec, sender.seal(providerOfferSpec, benchOffer('warm-up')));
  const batches = Array.from({ length: 5 }, (_, b) => {
    const sealed = Array.from({ length: 40 }, (_, i) => sender.seal(providerOfferSpec, benchOffer(`verify-${b}-${i}`)));
    const start = performance.now();
    for (const bytes of sealed) receiver.open(providerOfferSpec, bytes);
    return (performance.now() - start) / sealed.length;
  });
  return percentile(
    batches.sort((a, b) => a - b),
    50,
  );
}

async function allMeshed(workers: PeerWorker[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const all = await Promise.all(workers.map((w) => w.send<boolean>({ cmd: 'meshed' })));
    if (all.every(Boolean)) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

/** [offerId, arrival ms, PeerId it came from, signer's address]. */
type Delivery = [string, number, string, string];
type Report = { sent: Array<[string, number]>; delivered: Delivery[]; eventLoop: EventLoopDelay };
type Started = { addrs: string[]; ids: Array<[string, string]> };

/** Asks every worker for its sent/delivered records until `expected` deliveries are in or `timeoutMs` passed. */
async function reportsOnceDelivered(workers: PeerWorker[], expected: number, timeoutMs: number): Promise<Report[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reports = await Promise.all(workers.map((w) => w.send<Report>({ cmd: 'report' })));
    if (reports.reduce((n, r) => n + r.delivered.length, 0) >= expected || Date.now() > deadline) return reports;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Publishes from peer `peer` (numbered across workers). */
function publishFrom(workers: PeerWorker[], perWorker: number[], peer: number, offerId: string): Promise<unknown> {
  let w = 0;
  let index = peer;
  while (index >= (perWorker[w] ?? 0)) index -= perWorker[w++] ?? 0;
  return workers[w]!.send({ cmd: 'publish', peer: index, offerId });
}

const WARM_UP_OFFERS = 10;

/** Publishes WARM_UP_OFFERS offers one at a time (each fully delivered first); returns this process's CPU ms per offer. */
async function warmUp(workers: PeerWorker[], perWorker: number[], peerCount: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < WARM_UP_OFFERS; i++) {
    await publishFrom(workers, perWorker, (i * 7) % peerCount, `warm-up-${i}`);
    await reportsOnceDelivered(workers, (i + 1) * (peerCount - 1), 5_000);
  }
  const cpu = process.cpuUsage(before);
  return (cpu.user + cpu.system) / 1000 / WARM_UP_OFFERS;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function runMain(): Promise<void> {
  const args = new Map<string, string>();
  for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i] ?? '', process.argv[i + 1] ?? '');
  const peerCount = Number(args.get('--peers') ?? 30);
  // One event loop per worker; by default one per core (up to 5): the main thread only sends commands, and on 2 cores
  // one worker holding all 30 peers queued every delivery behind all peers' work on the offer (p99 256 ms at load
  // 15, against 65 ms with 2 workers at load 13, 1 Dec).
  const workerCount = Math.min(
    peerCount,
    Number(args.get('--workers') ?? Math.max(1, Math.min(5, availableParallelism()))),
  );
  const offerCount = Number(args.get('--offers') ?? 150);
  const numberFlag = (name: string) => (args.has(name) ? Number(args.get(name)) : undefined);
  const tuning: GossipTuning = {
    ...(args.has('--heartbeat-ms') ? { heartbeatMs: Number(args.get('--heartbeat-ms')) } : {}),
    mesh: {
      D: numberFlag('--d'),
      Dlo: numberFlag('--dlo'),
      Dhi: numberFlag('--dhi'),
      Dlazy: numberFlag('--dlazy'),
      Dout: numberFlag('--dout'),
      floodPublish: args.has('--flood-publish') ? args.get('--flood-publish') !== 'false' : undefined,
    },
  };
  const loadBefore = loadavg()[0] ?? 0;

  const workers = Array.from({ length: workerCount }, () => new PeerWorker(import.meta.url));
  const perWorker = workers.map((_, w) => Math.floor(peerCount / workerCount) + (w < peerCount % workerCount ? 1 : 0));
  const addrs: string[] = [];
  const peerIdOf = new Map<string, string>();
  for (const [w, worker] of workers.entries()) {
    const started = await worker.send<Started>({ cmd: 'start', count: perWorker[w] ?? 0, bootstrap: addrs, tuning });
    addrs.push(...started.addrs);
    for (const [peerId, address] of started.ids) peerIdOf.set(address, peerId);
  }
  if (!(await allMeshed(workers, 30_000))) console.error('warning: not every peer has a mesh of 2+ after 30 s');
  await Promise.all(workers.map((w) => w.send({ cmd: 'settle' })));

  const pingRttMs = await workers[0]!.send<number>({ cmd: 'ping' });
  const openMs = measureOpenMs();
  // Every offer costs every other peer CPU on this machine's cores (opening it, and gossipsub's relaying: Noise,
  // Yamux, forwarding to the mesh); publishing near what they can handle would measure queueing on this machine, not
  // gossip latency. So warm-up offers, published slowly, measure the whole CPU per offer, and the measured ones may
  // use at most a quarter of the cores (one event loop per worker: at most a quarter of each worker's core).
  const warmUpCpuMs = await warmUp(workers, perWorker, peerCount);
  const cores = Math.min(workerCount, availableParallelism());
  const intervalMs = args.has('--interval-ms')
    ? Number(args.get('--interval-ms'))
    : Math.max(50, Math.ceil((4 * Math.max(warmUpCpuMs, (peerCount - 1) * openMs)) / cores));
  console.error(
    `${peerCount} peers in ${workerCount} workers; opening an offer costs ${openMs.toFixed(2)} ms, all peers' CPU per warm-up offer ${warmUpCpuMs.toFixed(1)} ms; one offer every ${intervalMs} ms`,
  );

  // CPU of the whole process (every worker's peers) while offers flow: unlike latency, it barely depends on what else
  // the machine runs, so it compares builds on a busy machine.
  const cpuBefore = process.cpuUsage();
  const loadAtPublish = loadavg()[0] ?? 0;
  await Promise.all(workers.map((w) => w.send({ cmd: 'loop-reset' })));
  const publishStart = performance.now();
  for (let i = 0; i < offerCount; i++) {
    await publishFrom(workers, perWorker, i % peerCount, `bench-${i}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const expected = offerCount * (peerCount - 1);
  const reports = await reportsOnceDelivered(workers, WARM_UP_OFFERS * (peerCount - 1) + expected, 10_000);
  const cpu = process.cpuUsage(cpuBefore);
  const publishWallMs = performance.now() - publishStart;
  const gossipScores = (await Promise.all(workers.map((w) => w.send<number[]>({ cmd: 'scores' })))).flat();
  await Promise.all(workers.map((w) => w.send({ cmd: 'stop' })));
  await Promise.all(workers.map((w) => w.terminate()));

  const sentAt = new Map(reports.flatMap((r) => r.sent));
  const measured = reports
    .flatMap((r) => r.delivered)
    .filter(([id]) => id.startsWith('bench-'))
    .map(([id, at, relayedBy, sender]) => ({
      ms: at - (sentAt.get(id) ?? Number.NaN),
      direct: peerIdOf.get(sender) === relayedBy,
    }))
    .filter((d) => Number.isFinite(d.ms));
  const sortedMs = (ds: typeof measured) => ds.map((d) => d.ms).sort((a, b) => a - b);
  const latencies = sortedMs(measured);
  const direct = sortedMs(measured.filter((d) => d.direct));
  const relayed = sortedMs(measured.filter((d) => !d.direct));
  const heartbeatMs = tuning.heartbeatMs ?? 1000;
  const worstLoop = reports
    .map((r) => r.eventLoop)
    .reduce((a, b) => (b.p99Ms > a.p99Ms ? b : a), { p50Ms: 0, p99Ms: 0, maxMs: 0 });
  const round = (x: number) => Math.round(x * 100) / 100;
  console.log(
    JSON.stringify({
      bench: 'gossip',
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      maxMs: round(latencies.at(-1) ?? Number.NaN),
      eventLoopP50Ms: worstLoop.p50Ms,
      eventLoopP99Ms: worstLoop.p99Ms,
      eventLoopMaxMs: worstLoop.maxMs,
      directShare: round(direct.length / Math.max(1, latencies.length)),
      p50DirectMs: round(percentile(direct, 50)),
      p99DirectMs: round(percentile(direct, 99)),
      p50RelayedMs: round(percentile(relayed, 50)),
      p99RelayedMs: round(percentile(relayed, 99)),
      afterHeartbeatShare: round(latencies.filter((ms) => ms > heartbeatMs).length / Math.max(1, latencies.length)),
      heartbeatMs,
      // The mesh the peers ran with: the network's defaults and this run's flags.
      mesh: {
        ...GOSSIP_MESH_DEFAULTS,
        ...Object.fromEntries(Object.entries(tuning.mesh).filter(([, v]) => v !== undefined)),
      },
      gossipScoreMin: round(Math.min(...gossipScores)),
      gossipScoresBelowThreshold: gossipScores.filter((x) => x < -10).length,
      peers: peerCount,
      workers: workerCount,
      cores: availableParallelism(),
      offers: offerCount,
      deliveredRatio: round(latencies.length / expected),
      publishIntervalMs: intervalMs,
      pingRttMs: round(pingRttMs),
      openOfferCpuMs: round(openMs),
      cpuMsPerOffer: round((cpu.user + cpu.system) / 1000 / offerCount),
      // The same in units of opening one offer, measured in the same run: a loaded machine slows both alike (opening
      // took 0.8 ms at load 1 and 10 ms at load 60), so this compares settings across runs at different loads.
      cpuPerOfferInOpens: round((cpu.user + cpu.system) / 1000 / offerCount / openMs),
      idleCpuShare: round(1 - (cpu.user + cpu.system) / 1000 / publishWallMs),
      loadAvg1mBefore: round(loadBefore),
      loadAvg1mAtPublish: round(loadAtPublish),
      loadAvg1m: round(loadavg()[0] ?? 0),
    }),
  );
}

if (isMainThread || workerData?.peer !== true) await runMain();
else await runWorker();
