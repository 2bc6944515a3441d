import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { irisTemplate } from '@aic/model-vessel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/program.ts';
import { captureIo } from '../helpers/capture-io.ts';

// Nothing listens here: a command that got past argument checking fails with API_UNREACHABLE instead.
const api = ['--api', 'http://127.0.0.1:9'];

async function aic(argv: string[]) {
  const { io, out, err } = captureIo({ AIC_API_TOKEN: 'test-token' });
  const code = await runCli(argv, io);
  return { code, out: out(), err: err() };
}

describe('aic model validate | publish | call and aic plaza buy-uses arguments', () => {
  let dir: string;
  let manifestPath: string;
  let hostilePath: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aic-model-args-'));
    manifestPath = join(dir, 'model.json');
    hostilePath = join(dir, 'hostile.json');
    const text = JSON.stringify(irisTemplate.manifest, null, 2);
    await writeFile(manifestPath, text);
    await writeFile(hostilePath, text.replace('"Dense"', '"Lambda"'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('validate prints the inputs, outputs and hyperparameter defaults', async () => {
    const r = await aic(['--json', 'model', 'validate', manifestPath]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary.inputs).toEqual([{ name: 'measurements', dtype: 'float32', shape: [4] }]);
    expect(summary.outputs[0]).toMatchObject({ shape: [3], labels: irisTemplate.manifest.outputs[0]?.labels });
    expect(summary.hyperparameters.epochs).toBe(60);
    const human = await aic(['model', 'validate', manifestPath]);
    expect(human.out).toContain('input   measurements float32[4]');
  });

  it('validate refuses a layer outside the allow-list, naming it', async () => {
    const r = await aic(['model', 'validate', hostilePath]);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toMatch(/^MODEL_LAYER_NOT_ALLOWED: .*Lambda/);
  });

  it('publish needs --price; call needs exactly one of --input and --inputs', async () => {
    expect((await aic([...api, 'model', 'publish', manifestPath])).code).toBe(2);
    expect((await aic([...api, 'model', 'publish', manifestPath, '--price', 'two'])).err).toMatch(
      /^CLI_INVALID_ARGUMENT/,
    );
    expect((await aic([...api, 'model', 'call', '3'])).err).toMatch(/^CLI_INVALID_ARGUMENT: give exactly one/);
    expect((await aic([...api, 'model', 'call', '3', '--input', 'not-json-nor-file'])).err).toMatch(
      /^CLI_FILE_UNREADABLE/,
    );
    const reached = await aic([...api, 'model', 'call', '3', '--input', '[0.1, 0.2, 0.3, 0.4]']);
    expect(reached.err).toMatch(/^API_UNREACHABLE/);
  });

  it('plaza buy-uses needs --uses and asks the node for a quote first', async () => {
    expect((await aic([...api, 'plaza', 'buy-uses', '3'])).code).toBe(2);
    expect((await aic([...api, 'plaza', 'buy-uses', 'x', '--uses', '2'])).err).toMatch(/^CLI_INVALID_ARGUMENT/);
    expect((await aic([...api, 'plaza', 'buy-uses', '3', '--uses', '2', '--yes'])).err).toMatch(/^API_UNREACHABLE/);
  });
});
