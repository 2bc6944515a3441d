/**
 * `npm run bench -- msmg [steps]`: an MSMG (sharded, data-parallel) MNIST MLP job on 1, 2 and 4 worker processes on
 * loopback, the gradients all-reduced over libp2p streams (the chain reduce + scatter/all-gather of
 * packages/gpu-vessel/src/msmg/chain-all-reduce.ts). Per worker count: bytesPerStep (the most any rank sent per step,
 * and the mean), allReduceVsMinimum = that maximum / the ring all-reduce minimum 2(N−1)/N·G (G = the gradient's
 * bytes; goal ≤ 1.2), and stepTimeRatio = ms per step against 1 worker (on one loaded 2-core machine N processes
 * share the same cores, so this shows the protocol's overhead, not a speed-up). Every run's commitment root is
 * checked equal to the 1-worker one.
 */
import '@aic/core/polyfills';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensorFromArray, writeSafetensors } from '@aic/core/safetensors';
import { toHex } from 'viem';
import { runMsmgGroup } from '../packages/gpu-vessel/src/msmg/group-supervisor.ts';
import { devAccountKey } from '../packages/ledger/src/devchain/index.ts';
import { buildModel, type JobSpec, mnistTemplate, validateManifest } from '../packages/model-vessel/src/index.ts';

const ROWS = 640;
const BATCH = 64;
const WORKER_COUNTS = [1, 2, 4];

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'aic-bench-msmg-'));
  try {
    const { train } = await mnistTemplate.loadData();
    const features = train.features.subarray(0, ROWS * 784);
    const labels = train.labels.subarray(0, ROWS);
    const dataPath = join(dir, 'train.safetensors');
    await writeFile(
      dataPath,
      writeSafetensors({
        features: tensorFromArray(Float32Array.from(features), [ROWS, 784]),
        labels: tensorFromArray(Float32Array.from(labels), [ROWS, 1]),
      }),
    );
    const epochs = Math.max(1, Math.round(Number(process.argv[2] ?? 20) / (ROWS / BATCH)));
    const spec: JobSpec = {
      manifest: mnistTemplate.manifest,
      backend: 'cpu',
      seed: 3,
      commitEverySteps: 10,
      hyperparameters: { epochs, batchSize: BATCH },
      microbatches: 4,
    };
    const model = buildModel(validateManifest(mnistTemplate.manifest).graph, 0);
    const gradientFloats =
      model.trainableWeights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0) + 1;
    model.dispose();
    const gradientBytes = gradientFloats * 4;
    const rows: Record<string, number | string | null>[] = [];
    let baseMsPerStep = 0;
    let root = '';
    for (const workers of WORKER_COUNTS) {
      const result = await runMsmgGroup({
        jobKey: `0x${'cd'.repeat(32)}`,
        spec,
        dataPath,
        keys: Array.from({ length: workers }, (_, r) => toHex(devAccountKey(20 + r))),
        dir: join(dir, `n${workers}`),
        maxAttempts: 1,
      });
      if (root && result.commitmentRoot !== root) throw new Error(`${workers} workers reached another root`);
      root = result.commitmentRoot;
      const perStep = result.done.map((d) => d.bytesSent / result.steps);
      const maxBytes = Math.max(...perStep);
      const msPerStep = Math.max(...result.done.map((d) => d.trainMs)) / result.steps;
      if (workers === 1) baseMsPerStep = msPerStep;
      const minimum = (2 * (workers - 1) * gradientBytes) / workers;
      const row = {
        workers,
        steps: result.steps,
        bytesPerStep: Math.round(maxBytes),
        meanBytesPerStep: Math.round(perStep.reduce((a, b) => a + b, 0) / workers),
        ringMinimumBytesPerStep: Math.round(minimum),
        allReduceVsMinimum: workers === 1 ? null : Number((maxBytes / minimum).toFixed(4)),
        msPerStep: Number(msPerStep.toFixed(1)),
        stepTimeRatio: Number((msPerStep / baseMsPerStep).toFixed(3)),
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    }
    const at = (n: number) => rows.find((r) => r.workers === n) ?? {};
    console.log(
      JSON.stringify({
        bench: 'msmg',
        gradientBytes,
        bytesPerStep2: at(2).bytesPerStep,
        bytesPerStep4: at(4).bytesPerStep,
        allReduceVsMinimum2: at(2).allReduceVsMinimum,
        allReduceVsMinimum4: at(4).allReduceVsMinimum,
        allReduceVsMinimum: Math.max(Number(at(2).allReduceVsMinimum), Number(at(4).allReduceVsMinimum)),
        msPerStep1: at(1).msPerStep,
        stepTimeRatio2: at(2).stepTimeRatio,
        stepTimeRatio4: at(4).stepTimeRatio,
        sameRoot: true,
        load1m: Number(loadavg()[0]?.toFixed(2)),
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
