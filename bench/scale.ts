/**
 * Scale on one machine: many AIC network nodes (real libp2p over TCP on 127.0.0.1, connection keeping at its
 * defaults: target 8, minimum 3), all joined to one network. Two kinds of node:
 * - full nodes: the job network (served chain + 7 node processes with the job roles: requester, 2 GPU Vessels, data
 *   owner, coordinator, 2 verifiers), which runs one job (iris, a few epochs) while the rest gossips;
 * - light nodes: the network layer only, several per child process, bootstrapped to a few full and earlier nodes
 *   (peer exchange and gossip do the rest).
 * Offers are gossiped from random light nodes and every other light node's arrival time is recorded (publish →
 * `offer` event, signature/replay/schema checks included, shared wall clock).
 *
 * Light nodes run in lean host processes (bench/helpers/light-node-host.ts: the network only, not this file's devnet
 * imports), sample Vivaldi coordinates once a minute (not every 10 s: a light node has no offers whose locality
 * matters, so its pings and coordinate requests only cost CPU) and otherwise run the network's defaults.
 *
 *   npm run bench -- scale [--nodes 100] [--per-process 20] [--offers 60] [--interval-ms 500] [--join-timeout-s 300]
 *                          [--no-job] [--job-epochs 4] [--job-timeout-s 900] [--target-peers 8] [--max-connections N]
 *                          [--heartbeat-ms 1000] [--d 4 --dlo 3 --dhi 6 --dlazy 6]
 * Last line: {"bench":"scale","nodes":..,"rssPerNodeMb":..,"gossipP99Ms":..,"peersMin":..,"job":"Settled",...}
 * (`allJoined` false: the join bound ended the wait with `meshedAtJoin` of the light nodes in the offers mesh)
 * (`nodes` counts both kinds; rssPerNodeMb = RSS of every node process and light-node process / nodes;
 * eventLoopP99Ms = the worst light-node process's event-loop delay while offers flow, to tell CPU starvation from
 * protocol latency.)
 */
import '@aic/core/polyfills';
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type JobNetwork, startJobNetwork } from '../apps/devnet/src/job-network.ts';
import { runNetworkedJob } from '../apps/devnet/src/networked-job.ts';
import { nodeApi } from '../apps/devnet/src/node-api.ts';
import type { Command, Health, LightNodeInit } from './helpers/light-node-host.ts';

/** The parent's handle on one child process. */
class NodeProcess {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  readonly ready: Promise<unknown>;
  #next = 1;

  constructor() {
    this.#child = fork(fileURLToPath(new URL('./helpers/light-node-host.ts', import.meta.url)), ['--child'], {
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

/** Resident set of a process in bytes (Linux /proc), 0 where unreadable. */
function rssOfPid(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? 0 : Number(kb) * 1024;
  } catch {
    return 0;
  }
}

/** The job network's nodes: connected peers and RSS each. */
async function fullNodeHealth(net: JobNetwork | undefined): Promise<{ peers: number[]; rssBytes: number }> {
  if (net === undefined) return { peers: [], rssBytes: 0 };
  const peers = await Promise.all(net.nodes.map(async (n) => (await nodeApi(n).status()).connectedPeers));
  return { peers, rssBytes: net.nodes.reduce((sum, n) => sum + rssOfPid(n.pid), 0) };
}

function flagsOf(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--no-job') args.set(a, 'true');
    else args.set(a, argv[++i] ?? '');
  }
  return args;
}

async function runMain(): Promise<void> {
  const args = flagsOf(process.argv.slice(2));
  const nodeCount = Number(args.get('--nodes') ?? 100);
  const perProcess = Number(args.get('--per-process') ?? 20);
  const offerCount = Number(args.get('--offers') ?? 60);
  const intervalMs = Number(args.get('--interval-ms') ?? 500);
  const joinTimeoutMs = Number(args.get('--join-timeout-s') ?? 300) * 1000;
  const withJob = !args.has('--no-job');
  const jobEpochs = Number(args.get('--job-epochs') ?? 4);
  const jobTimeoutMs = Number(args.get('--job-timeout-s') ?? 900) * 1000;
  const numberFlag = (name: string) => (args.has(name) ? Number(args.get(name)) : undefined);
  const lightInit: LightNodeInit = {
    coordinatesIntervalMs: 60_000,
    ...(args.has('--target-peers') ? { targetPeers: Number(args.get('--target-peers')) } : {}),
    ...(args.has('--max-connections') ? { maxConnections: Number(args.get('--max-connections')) } : {}),
    ...(args.has('--heartbeat-ms') ? { gossipHeartbeatMs: Number(args.get('--heartbeat-ms')) } : {}),
    gossipMesh: {
      D: numberFlag('--d'),
      Dlo: numberFlag('--dlo'),
      Dhi: numberFlag('--dhi'),
      Dlazy: numberFlag('--dlazy'),
    },
  };
  const loadBefore = loadavg()[0] ?? 0;
  const t0 = Date.now();
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

  // Full nodes first: the light ones join through them.
  const net = withJob ? await startJobNetwork() : undefined;
  if (net !== undefined) console.error(`${net.nodes.length} full nodes and the chain started (${elapsed()})`);
  const fullCount = net?.nodes.length ?? 0;
  const lightCount = Math.max(0, nodeCount - fullCount);
  const counts = Array.from({ length: Math.ceil(lightCount / perProcess) }, (_, i) =>
    Math.min(perProcess, lightCount - i * perProcess),
  );
  const procs = counts.map(() => new NodeProcess());
  const abort = new AbortController();
  try {
    await Promise.all(procs.map((p) => p.ready));
    const fullAddrs = (net?.nodes ?? []).flatMap((n) => n.multiaddrs.filter((m) => !m.includes('/ws')).slice(0, 1));
    const addrs: string[] = [];
    for (const [i, proc] of procs.entries()) {
      const sample = [...fullAddrs, ...addrs].sort(() => Math.random() - 0.5).slice(0, 8);
      const first = i === 0 && fullAddrs.length === 0;
      const start = { cmd: 'start', count: counts[i] ?? 0, bootstrap: sample, first, init: lightInit } as const;
      addrs.push(...(await proc.send<string[]>(start)));
      console.error(`${addrs.length} light nodes started (${elapsed()})`);
    }
    const startedS = (Date.now() - t0) / 1000;

    // Joined: every light node at its minimum peers and in the offers mesh (bounded wait, polled once a second).
    let health: Health[] = [];
    const deadline = Date.now() + joinTimeoutMs;
    for (;;) {
      health = await Promise.all(procs.map((p) => p.send<Health>({ cmd: 'health' })));
      const under = health.reduce((n, h) => n + h.underconnected, 0);
      const meshed = health.reduce((n, h) => n + h.meshed, 0);
      if ((under === 0 && meshed === lightCount) || Date.now() > deadline) break;
      const lost = health.reduce((n, h) => n + h.disconnects, 0);
      console.error(`joining: ${under} underconnected, ${meshed}/${lightCount} meshed, ${lost} connections lost`);
      await delay(1_000);
    }
    const joinedS = (Date.now() - t0) / 1000;
    // Whether every light node had joined (peers and mesh) before the bound, or the bound ended the wait.
    const meshedAtJoin = health.reduce((n, h) => n + h.meshed, 0);
    const allJoined = meshedAtJoin === lightCount && health.every((h) => h.underconnected === 0);
    const loadAtJoin = loadavg()[0] ?? 0;

    // One job through the full nodes while the light ones gossip.
    const job =
      net === undefined
        ? undefined
        : runNetworkedJob({
            chain: net.chain,
            dev: net.dev,
            nodes: net.nodes,
            log: (line) => console.error(line),
            signal: abort.signal,
            template: 'iris',
            epochs: jobEpochs,
            commitEverySteps: 4,
            timeoutMs: jobTimeoutMs,
          }).then(
            (r) => ({ state: r.state, wallMs: r.wallMs }),
            (error: unknown) => ({ state: `failed: ${(error as Error).message}`.slice(0, 300), wallMs: Number.NaN }),
          );

    // Gossip: offers from random light nodes at a fixed rate; the event loops are measured from here on.
    await Promise.all(procs.map((p) => p.send({ cmd: 'loop-reset' })));
    for (let i = 0; i < offerCount && lightCount > 0; i++) {
      const target = Math.floor(Math.random() * lightCount);
      const proc = Math.floor(target / perProcess);
      await procs[proc]?.send({ cmd: 'publish', node: target % perProcess, offerId: `scale-${i}` });
      await delay(intervalMs);
    }
    const expected = offerCount * (lightCount - 1);
    let reports: Array<{ sent: Array<[string, number]>; delivered: Array<[string, number]> }> = [];
    const reportDeadline = Date.now() + 15_000;
    do {
      await delay(500);
      reports = await Promise.all(procs.map((p) => p.send<(typeof reports)[number]>({ cmd: 'report' })));
    } while (reports.reduce((n, r) => n + r.delivered.length, 0) < expected && Date.now() < reportDeadline);
    health = await Promise.all(procs.map((p) => p.send<Health>({ cmd: 'health' })));
    const full = await fullNodeHealth(net);
    const jobResult = job === undefined ? undefined : await job;
    await Promise.all(procs.map((p) => p.send({ cmd: 'stop' }).catch(() => undefined)));

    const sentAt = new Map(reports.flatMap((r) => r.sent));
    const latencies = reports
      .flatMap((r) => r.delivered)
      .map(([id, at]) => at - (sentAt.get(id) ?? Number.NaN))
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const peers = [...health.flatMap((h) => h.peers), ...full.peers].sort((a, b) => a - b);
    const lightRss = health.reduce((n, h) => n + h.rssBytes, 0);
    const worstLoop = health
      .map((h) => h.eventLoop)
      .reduce((a, b) => (b.p99Ms > a.p99Ms ? b : a), { p50Ms: 0, p99Ms: 0, maxMs: 0 });
    const rssTotal = lightRss + full.rssBytes;
    console.log(
      JSON.stringify({
        bench: 'scale',
        nodes: lightCount + fullCount,
        fullNodes: fullCount,
        lightNodes: lightCount,
        processes: procs.length + fullCount,
        rssPerNodeMb: round(rssTotal / (lightCount + fullCount) / 1024 ** 2),
        rssPerFullNodeMb: fullCount === 0 ? null : round(full.rssBytes / fullCount / 1024 ** 2),
        rssPerLightNodeMb: lightCount === 0 ? null : round(lightRss / lightCount / 1024 ** 2),
        rssAddedPerLightNodeMb:
          lightCount === 0
            ? null
            : round(health.reduce((n, h) => n + h.rssBytes - h.baseRssBytes, 0) / lightCount / 1024 ** 2),
        rssTotalMb: round(rssTotal / 1024 ** 2),
        gossipP50Ms: round(percentile(latencies, 50)),
        gossipP99Ms: round(percentile(latencies, 99)),
        eventLoopP50Ms: worstLoop.p50Ms,
        eventLoopP99Ms: worstLoop.p99Ms,
        eventLoopMaxMs: worstLoop.maxMs,
        deliveredRatio: round(latencies.length / expected),
        offers: offerCount,
        publishIntervalMs: intervalMs,
        peersMin: peers[0] ?? 0,
        targetPeers: lightInit.targetPeers ?? 8,
        peersMedian: percentile(peers, 50),
        underconnected: health.reduce((n, h) => n + h.underconnected, 0),
        connectionsLost: health.reduce((n, h) => n + h.disconnects, 0),
        startedS: round(startedS),
        joinedS: round(joinedS),
        allJoined,
        meshedAtJoin,
        job: jobResult?.state ?? 'not run (--no-job)',
        jobWallMs: jobResult === undefined ? null : Math.round(jobResult.wallMs),
        cores: availableParallelism(),
        loadAvg1mBefore: round(loadBefore),
        loadAvg1mAtJoin: round(loadAtJoin),
        loadAvg1mAfter: round(loadavg()[0] ?? 0),
      }),
    );
  } finally {
    abort.abort();
    for (const p of procs) p.kill();
    await net?.close().catch(() => undefined);
  }
}

await runMain();
