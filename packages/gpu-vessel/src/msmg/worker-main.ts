/**
 * One MSMG worker process: rank r of a group training a sharded job. It joins the group's all-reduce links over
 * libp2p, trains (resuming from the group's last verified checkpoint when told), saves a checkpoint at every
 * commitment and prints one JSON line per event (ready, checkpoint, done, failed). Started by `runMsmgGroup` with
 * `--import tsx`; argv[2] is its config file. It exits when its parent goes away.
 */
import '@aic/core/polyfills';
import { readFile } from 'node:fs/promises';
import { isAicError } from '@aic/core';
import { type JobSpec, loadCheckpoint, saveCheckpoint, trainJob } from '@aic/model-vessel';
import { createAicNetwork } from '@aic/network';
import { hexToBytes } from 'viem';
import { loadWorkerDataset } from '../worker/dataset-source.ts';
import { chainAllReduce } from './chain-all-reduce.ts';
import { openGroupLinks } from './group-links.ts';
import { parseWorkerConfig, type WorkerEvent } from './worker-config.ts';

const print = (event: WorkerEvent) => process.stdout.write(`${JSON.stringify(event)}\n`);

async function main(): Promise<number> {
  const config = parseWorkerConfig(JSON.parse(await readFile(process.argv[2] ?? '', 'utf8')));
  const { rank, workers } = config;
  const net = await createAicNetwork({
    privateKey: hexToBytes(config.privateKey as `0x${string}`),
    listen: [`/ip4/${config.listenHost}/tcp/${config.listenPort}`],
    targetPeers: 0,
  });
  await net.start();
  try {
    // inside this process, so a huge or hostile dataset hits this worker's heap cap, as in the single-worker sandbox
    const data = await loadWorkerDataset(
      config.dataPath !== undefined
        ? { file: config.dataPath }
        : { shards: config.shards ?? [], rows: config.rows ?? 0 },
    );
    const resumeFrom = config.resumeFrom
      ? await loadCheckpoint(config.resumeFrom.dir, config.resumeFrom.step)
      : undefined;
    const links = await openGroupLinks(net, {
      groupKey: hexToBytes(config.groupKey as `0x${string}`),
      rank,
      members: config.members,
      maxFrameFloats: config.chunkFloats,
      frameTimeoutMs: config.frameTimeoutMs,
      connectTimeoutMs: config.connectTimeoutMs,
    });
    print({ event: 'ready', rank });
    const startedAt = performance.now();
    const result = await trainJob(config.spec as JobSpec, data, {
      shard: { rank, workers, reducer: chainAllReduce(links, rank, workers, config.chunkFloats) },
      ...(resumeFrom ? { resumeFrom } : {}),
      onCheckpoint: async (checkpoint) => {
        await saveCheckpoint(config.checkpointDir, checkpoint);
        const index = checkpoint.commitments.length - 1;
        const hash = checkpoint.commitments.at(-1)?.hash ?? '0x';
        print({ event: 'checkpoint', rank, index, step: checkpoint.step, hash });
      },
    });
    const trainMs = performance.now() - startedAt;
    result.model.dispose();
    await links.barrier();
    await links.close();
    print({
      event: 'done',
      rank,
      commitmentRoot: result.commitmentRoot,
      weightsHash: result.weightsHash,
      steps: result.steps,
      stepsRun: result.steps - (resumeFrom?.step ?? 0),
      bytesSent: links.bytesSent(),
      trainMs,
      resultCid: result.resultCid,
      commitments: result.commitments.map((c) => ({ step: c.step, hash: c.hash })),
    });
    return 0;
  } finally {
    await net.stop();
  }
}

// no IPC channel to watch: a worker whose supervisor died is re-parented, and must not keep training for nobody
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) process.exit(3);
}, 1_000).unref();
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const code = isAicError(error) ? error.code : 'MSMG_GROUP_FAILED';
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    const message = `${error instanceof Error ? error.message : String(error)}${cause}`.slice(0, 2000);
    const peerRank = isAicError(error, 'MSMG_PEER_LOST') ? (error.details as { rank?: number })?.rank : undefined;
    const rank = Number(process.env.AIC_MSMG_RANK ?? -1);
    print({ event: 'failed', rank, code, message, ...(typeof peerRank === 'number' ? { peerRank } : {}) });
    process.exit(1);
  },
);
