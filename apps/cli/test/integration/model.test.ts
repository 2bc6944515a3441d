import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aicJson, runAic } from '../helpers/run-aic.ts';

describe('aic model', () => {
  it('trains a template to its reference accuracy, writes weights + manifest, and evaluates them again', async () => {
    const out = await mkdtemp(join(tmpdir(), 'aic-model-'));
    const trained = await aicJson<{
      testAccuracy: number;
      referenceAccuracy: number;
      resultCid: string;
      commitmentRoot: string;
    }>(['model', 'train', 'iris', '--out', out]);
    expect(trained.testAccuracy).toBeGreaterThanOrEqual(trained.referenceAccuracy);
    expect(trained.commitmentRoot).toMatch(/^0x[0-9a-f]{64}$/);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as { weights: { cid: string } };
    expect(manifest.weights.cid).toBe(trained.resultCid);
    const validated = await aicJson<{ parameters: number }>(['model', 'validate', join(out, 'manifest.json')]);
    expect(validated.parameters).toBeGreaterThan(0);
    const evaluated = await aicJson<{ accuracy: number }>([
      'model',
      'eval',
      'iris',
      '--weights',
      join(out, 'weights.safetensors'),
    ]);
    expect(evaluated.accuracy).toBe(trained.testAccuracy);
  });

  it('refuses a hostile manifest and unknown templates with one line and a non-zero exit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aic-model-'));
    const hostile = join(dir, 'hostile.json');
    await writeFile(
      hostile,
      JSON.stringify({ schema: 'aic-model/1', name: 'x', architecture: { class_name: 'Lambda' } }),
    );
    const bad = await runAic(['model', 'validate', hostile]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n').at(-1)).toMatch(/^MODEL_MANIFEST_INVALID: /);
    const unknown = await runAic(['model', 'train', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/CLI_INVALID_ARGUMENT: unknown template nope/);
  });
});
