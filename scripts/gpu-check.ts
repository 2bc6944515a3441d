/**
 * The prepared GPU check (issue 16), run by scripts/gpu-check.sh on a machine with a GPU (and no network): the WebGPU
 * adapter Dawn finds, one training job's samples/s on webgpu vs cpu vs wasm, the hardware-class challenge on the
 * device (proven class and TFLOPS), and the tolerant distances (two webgpu runs; webgpu vs cpu). Prints one JSON
 * line. Without an adapter it runs degraded: `"gpu": false`, the cpu and wasm figures and the Cpu-class challenge.
 *
 *   node --import tsx scripts/gpu-check.ts [--quick]
 */
import '@aic/core/polyfills';
import { HardwareClass } from '@aic/ledger';
import { probeWebgpuAdapter } from '@aic/model-vessel';
import { proveClass } from './gpu-check/measure-challenge.ts';
import { type BackendRun, runDistance, syntheticMnistLike, timeBackend } from './gpu-check/measure-training.ts';

const quick = process.argv.includes('--quick');
const started = performance.now();
const adapter = await probeWebgpuAdapter();
const data = syntheticMnistLike();
// Every run commits every 4 steps (--quick: 2) and is compared at the same step; cpu and wasm train two segments (the
// second is timed), webgpu 8 of them (--quick: 4), and a second webgpu run the same two as cpu for the distances.
const every = quick ? 2 : 4;
const short = { every, steps: 2 * every, compareStep: 2 * every };
const cpu = await timeBackend('cpu', data, short);
const wasm = await timeBackend('wasm', data, short);
let webgpu: BackendRun | undefined;
let webgpuAgain: BackendRun | undefined;
if (adapter) {
  webgpu = await timeBackend('webgpu', data, { every, steps: (quick ? 4 : 8) * every, compareStep: 2 * every });
  webgpuAgain = await timeBackend('webgpu', data, short);
}
const challenge = adapter
  ? await proveClass('webgpu')
  : await proveClass('cpu', quick ? [HardwareClass.Cpu] : [HardwareClass.ConsumerGpu, HardwareClass.Cpu]);
const round = (v: number, digits = 3) => (Number.isFinite(v) ? Number(v.toPrecision(digits)) : null);
console.log(
  JSON.stringify({
    gpuCheck: 1,
    gpu: adapter !== null && !adapter.fallback,
    adapter,
    samplesPerSecond: {
      cpu: round(cpu.samplesPerSecond),
      wasm: round(wasm.samplesPerSecond),
      webgpu: webgpu ? round(webgpu.samplesPerSecond) : null,
    },
    webgpuVsCpu: webgpu ? round(webgpu.samplesPerSecond / cpu.samplesPerSecond) : null,
    webgpuVsWasm: webgpu ? round(webgpu.samplesPerSecond / wasm.samplesPerSecond) : null,
    challenge: {
      backend: adapter ? 'webgpu' : 'cpu',
      provenClass: challenge.provenClass,
      provenTflops: round(challenge.attempts.at(-1)?.provenTflops ?? Number.NaN),
      attempts: challenge.attempts.map((a) => ({
        ...a,
        elapsedMs: Math.round(a.elapsedMs),
        provenTflops: round(a.provenTflops),
      })),
    },
    tolerantDistance: {
      webgpuVsWebgpuRelativeL2: adapter ? round(runDistance(webgpu, webgpuAgain)) : null,
      webgpuVsCpuRelativeL2: adapter ? round(runDistance(webgpu, cpu)) : null,
    },
    wallMs: Math.round(performance.now() - started),
  }),
);
process.exit(0);
