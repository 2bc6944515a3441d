/**
 * Scale on one machine: many AIC network nodes (real libp2p over TCP on 127.0.0.1, connection keeping at its
 * defaults: target 8, minimum 3), several per child process, all joined to one network by a few bootstrap addresses
 * each (peer exchange and gossip do the rest). Then offers are gossiped from random nodes and every other node's
 * arrival time is recorded (publish → `offer` event, signature/replay/schema checks included, shared wall clock).
 *
 *   npm run bench -- scale [--nodes 100] [--per-process 20] [--offers 60] [--interval-ms 500] [--join-timeout-s 300]
 * Last line: {"bench":"scale","nodes":..,"rssPerNodeMb":..,"gossipP99Ms":..,"peersMin":..,...}
 *
 * No job runs here: a job needs the chain and node processes with the GPU Vessel roles (`npm run bench -- job`).
 */
import '@aic/core/polyfills';
import { type ChildProcess, fork } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type AicNetwork, createAicNetwork, GOSSIP_TOPICS } from '@aic/network';
import { generatePrivateKey } from 'viem/accounts';
import { benchOffer, now } from './helpers/bench-offer.ts';

type Command =
  | { cmd: 'start'; count: number; bootstrap: string[]; first: boolean }
  | { cmd: 'health' }
  | { cmd: 'publish'; node: number; offerId: string }
  | { cmd: 'report' }
  | { cmd: 'stop' };

interface Health {
  peers: number[];
  meshed: number;
  underconnected: number;
  /** Connections lost so far (churn). */
  disconnects: number;
  rssBytes: number;
}

/** A child process: runs some nodes and answers the parent's commands over IPC. */
async function runChild(): Promise<void> {
  const nets: AicNetwork[] = [];
  const sent: Array<[string, number]> = [];
  const delivered: Array<[string, number]> = [];
  let disconnects = 0;
  const create = async (bootstrap: string[]) => {
    const net = await createAicNetwork({
      privateKey: generatePrivateKey(),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      bootstrap,
    });
    net.addEventListener('offer', (e) => delivered.push([e.detail.payload.offerId, now()]));
    net.addEventListener('peer:disconnect', () => {
      disconnects++;
    });
    await net.start();
    nets.push(net);
    return net;
  };
  const handle = async (c: Command): Promise<unknown> => {
    switch (c.cmd) {
      case 'start': {
        let bootstrap = c.bootstrap;
        if (c.first) bootstrap = [(await create([])).multiaddrs()[0] ?? ''];
        const pick = () => [...bootstrap].sort(() => Math.random() - 0.5).slice(0, 3);
        await Promise.all(Array.from({ length: c.count - (c.first ? 1 : 0) }, () => create(pick())));
        return nets.map((n) => n.multiaddrs()[0] ?? '');
      }
      case 'health':
        return {
          peers: nets.map((n) => n.connectivity().connectedPeers),
          meshed: nets.filter((n) => n.meshPeers(GOSSIP_TOPICS.offers).length > 0).length,
          underconnected: nets.filter((n) => n.connectivity().underconnected).length,
          disconnects,
          rssBytes: process.memoryUsage().rss,
        } satisfies Health;
      case 'publish':
        sent.push([c.offerId, now()]);
        return nets[c.node]?.publishOffer(benchOffer(c.offerId));
      case 'report':
        return { sent, delivered };
      case 'stop':
        await Promise.all(nets.map((n) => n.stop()));
        return undefined;
    }
  };
  process.on('message', (m: { id: number; command: Command }) => {
    void handle(m.command).then(
      (result) => process.send?.({ id: m.id, ok: true, result }),
      (error: unknown) => process.send?.({ id: m.id, ok: false, error: String(error) }),
    );
  });
  process.send?.({ id: 0, ok: true, result: 'ready' });
}

/** The parent's handle on one child process. */
class NodeProcess {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  readonly ready: Promise<unknown>;
  #next = 1;

  constructor() {
    this.#child = fork(fileURLToPath(import.meta.url), ['--child'], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.ready = new Promise<unknown>((resolve, reject) => this.#pending.set(0, { resolve, reject }));
    this.#child.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      const waiter = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if (m.ok) waiter?.resolve(m.result);
      else waiter?.reject(new Error(m.error));
    });
    this.#child.on('exit', (code) => {
      for (const w of this.#pending.values()) w.reject(new Error(`node process exited (${code})`));
      this.#pending.clear();
    });
  }

  send<T>(command: Command): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#child.send({ id, command });
    });
  }

  kill(): void {
    this.#child.kill('SIGKILL');
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const round = (x: number) => Math.round(x * 100) / 100;
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runMain(): Promise<void> {
  const args = new Map<string, string>();
  for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i] ?? '', process.argv[i + 1] ?? '');
  const nodeCount = Number(args.get('--nodes') ?? 100);
  const perProcess = Number(args.get('--per-process') ?? 20);
  const offerCount = Number(args.get('--offers') ?? 60);
  const intervalMs = Number(args.get('--interval-ms') ?? 500);
  const joinTimeoutMs = Number(args.get('--join-timeout-s') ?? 300) * 1000;
  const loadBefore = loadavg()[0] ?? 0;
  const t0 = Date.now();

  const counts = Array.from({ length: Math.ceil(nodeCount / perProcess) }, (_, i) =>
    Math.min(perProcess, nodeCount - i * perProcess),
  );
  const procs = counts.map(() => new NodeProcess());
  try {
    await Promise.all(procs.map((p) => p.ready));
    const addrs: string[] = [];
    for (const [i, proc] of procs.entries()) {
      const sample = [...addrs].sort(() => Math.random() - 0.5).slice(0, 8);
      addrs.push(
        ...(await proc.send<string[]>({ cmd: 'start', count: counts[i] ?? 0, bootstrap: sample, first: i === 0 })),
      );
      console.error(`${addrs.length} nodes started (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
    const startedS = (Date.now() - t0) / 1000;

    // Joined: every node at its minimum peers and in the offers mesh (bounded wait, polled once a second).
    let health: Health[] = [];
    const deadline = Date.now() + joinTimeoutMs;
    for (;;) {
      health = await Promise.all(procs.map((p) => p.send<Health>({ cmd: 'health' })));
      const under = health.reduce((n, h) => n + h.underconnected, 0);
      const meshed = health.reduce((n, h) => n + h.meshed, 0);
      if ((under === 0 && meshed === nodeCount) || Date.now() > deadline) break;
      const lost = health.reduce((n, h) => n + h.disconnects, 0);
      console.error(`joining: ${under} underconnected, ${meshed}/${nodeCount} meshed, ${lost} connections lost`);
      await delay(1_000);
    }
    const joinedS = (Date.now() - t0) / 1000;

    // Gossip: offers from random nodes at a fixed rate.
    for (let i = 0; i < offerCount; i++) {
      const target = Math.floor(Math.random() * nodeCount);
      const proc = Math.floor(target / perProcess);
      await procs[proc]?.send({ cmd: 'publish', node: target % perProcess, offerId: `scale-${i}` });
      await delay(intervalMs);
    }
    const expected = offerCount * (nodeCount - 1);
    let reports: Array<{ sent: Array<[string, number]>; delivered: Array<[string, number]> }> = [];
    const reportDeadline = Date.now() + 15_000;
    do {
      await delay(500);
      reports = await Promise.all(procs.map((p) => p.send<(typeof reports)[number]>({ cmd: 'report' })));
    } while (reports.reduce((n, r) => n + r.delivered.length, 0) < expected && Date.now() < reportDeadline);
    health = await Promise.all(procs.map((p) => p.send<Health>({ cmd: 'health' })));
    await Promise.all(procs.map((p) => p.send({ cmd: 'stop' }).catch(() => undefined)));

    const sentAt = new Map(reports.flatMap((r) => r.sent));
    const latencies = reports
      .flatMap((r) => r.delivered)
      .map(([id, at]) => at - (sentAt.get(id) ?? Number.NaN))
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const peers = health.flatMap((h) => h.peers).sort((a, b) => a - b);
    const rssTotal = health.reduce((n, h) => n + h.rssBytes, 0);
    console.log(
      JSON.stringify({
        bench: 'scale',
        nodes: nodeCount,
        processes: procs.length,
        rssPerNodeMb: round(rssTotal / nodeCount / 1024 ** 2),
        rssTotalMb: round(rssTotal / 1024 ** 2),
        gossipP50Ms: round(percentile(latencies, 50)),
        gossipP99Ms: round(percentile(latencies, 99)),
        deliveredRatio: round(latencies.length / expected),
        offers: offerCount,
        publishIntervalMs: intervalMs,
        peersMin: peers[0] ?? 0,
        peersMedian: percentile(peers, 50),
        underconnected: health.reduce((n, h) => n + h.underconnected, 0),
        connectionsLost: health.reduce((n, h) => n + h.disconnects, 0),
        startedS: round(startedS),
        joinedS: round(joinedS),
        cores: availableParallelism(),
        loadAvg1mBefore: round(loadBefore),
        loadAvg1mAfter: round(loadavg()[0] ?? 0),
        job: 'not run (needs the chain and GPU Vessel node processes; see bench job)',
      }),
    );
  } finally {
    for (const p of procs) p.kill();
  }
}

if (process.argv.includes('--child')) await runChild();
else await runMain();
