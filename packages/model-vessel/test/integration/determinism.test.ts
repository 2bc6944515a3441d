import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { irisTemplate, trainJob, weightsDistance, weightsFromSafetensors } from '../../src/index.ts';

const script = fileURLToPath(new URL('./fixtures/train-once.ts', import.meta.url));

/** Runs the fixture in a fresh Node process and returns its JSON line. */
function trainInChild(
  backends: string[],
): Promise<Record<string, { weightsHash: string; commitmentRoot: string; steps: number }>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...backends], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`child exited ${code}: ${stderr.slice(-2000)}`));
      else resolve(JSON.parse(line));
    });
  });
}

describe('deterministic training', () => {
  it('gives bit-identical weights and commitments in two separate processes, per backend', async () => {
    const [first, second] = await Promise.all([trainInChild(['cpu', 'wasm']), trainInChild(['cpu', 'wasm'])]);
    for (const backend of ['cpu', 'wasm']) {
      expect(first[backend]?.steps).toBe(76);
      expect(second[backend]?.weightsHash, backend).toBe(first[backend]?.weightsHash);
      expect(second[backend]?.commitmentRoot, backend).toBe(first[backend]?.commitmentRoot);
    }
    // commitments are only comparable within one backend: the two backends round differently
    expect(first.cpu?.weightsHash).not.toBe(first.wasm?.weightsHash);
  });

  it('cpu and wasm differ in bits but agree within a tolerance (what tolerant mode compares)', async () => {
    const { train } = await irisTemplate.loadData();
    const spec = { manifest: irisTemplate.manifest, seed: 4, hyperparameters: { epochs: 5 } };
    const cpu = await trainJob({ ...spec, backend: 'cpu' }, train);
    const wasm = await trainJob({ ...spec, backend: 'wasm' }, train);
    const distance = weightsDistance(weightsFromSafetensors(cpu.weights), weightsFromSafetensors(wasm.weights));
    expect(cpu.weightsHash).not.toBe(wasm.weightsHash);
    expect(distance.relativeL2).toBeGreaterThan(0);
    expect(distance.relativeL2).toBeLessThan(1e-3);
    for (const r of [cpu, wasm]) r.model.dispose();
  });
});
