/**
 * The built `aic` binary: scripts/build.mjs bundles the CLI into a folder of JavaScript that plain Node runs (no
 * tsx), whose start-up loads no external package; the commands that load their modules lazily (keystores, the Data
 * Vessel) work from the build; bad input gets one typed line naming where it is, and never echoes key material.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIC_BIN, type AicRun } from '../helpers/run-aic.ts';

const CLI_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Inside the checkout (an ignored .tmp folder), so Node finds the external packages from the build.
const OUT = join(CLI_DIR, '.tmp', `dist-test-${process.pid}`);

function run(entry: string, args: string[], env: Record<string, string> = {}): Promise<AicRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [entry, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (e, o, r) =>
      resolve({ code: e === null ? 0 : typeof e.code === 'number' ? e.code : 1, stdout: o, stderr: r }),
    );
  });
}

/** Every module main.js loads before running a command: its static imports, transitively. */
function staticImports(dir: string, file = 'main.js', seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(join(dir, file), 'utf8');
  for (const [, spec] of text.matchAll(/^import\s(?:[^;]*?\sfrom\s)?"([^"]+)"/gm)) {
    if (spec?.startsWith('./')) staticImports(dir, spec.slice(2), seen);
    else seen.add(spec ?? '');
  }
  return seen;
}

describe('the built aic binary', () => {
  let dir: string;
  let main: string;

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [join(CLI_DIR, 'scripts', 'build.mjs'), '--outdir', OUT, '--quiet'], {
      encoding: 'utf8',
    });
    expect(build.status, build.stderr).toBe(0);
    main = join(OUT, 'main.js');
    dir = await mkdtemp(join(tmpdir(), 'aic-bin-'));
  }, 120_000);

  afterAll(async () => {
    await rm(OUT, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  });

  it('starts from plain JavaScript, loading no external package before a command runs', async () => {
    const help = await run(main, ['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: aic');
    const externals = [...staticImports(OUT)].filter((s) => !s.endsWith('.js') && !s.startsWith('node:'));
    expect(externals).toEqual([]);
    const info = JSON.parse(readFileSync(join(OUT, 'build-info.json'), 'utf8')) as { inputs: string[] };
    expect(info.inputs).toContain('src/main.ts');
    expect(info.inputs.some((p) => p.startsWith('../../packages/core/src/'))).toBe(true);
    // bin/aic.js stats each of them to tell whether the build is current: all must be files.
    for (const input of info.inputs) expect(existsSync(join(CLI_DIR, input)), input).toBe(true);
  });

  it('runs the lazily loaded commands from the build: a new account, a CSV import with its column report', async () => {
    const created = await run(main, ['--json', '--data-dir', join(dir, 'a'), 'account', 'new', '--scrypt-n', '1024'], {
      AIC_PASSWORD: 'pw',
    });
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ address: expect.stringMatching(/^0x/), peerId: /^16Uiu2/ });

    const csv = join(dir, 'iris.csv');
    await writeFile(csv, 'a,b,species\n1,2,x\n2,3,y\n3,4,x\n4,5,y\n');
    const imported = await run(main, ['data', 'import', 'csv', csv, '--label', 'species', '--out', join(dir, 'd')]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/a +feature +numeric +inferred: all 4 values are numbers/);
    expect(imported.stdout).toMatch(/species +label +categorical +inferred: no value is a number \(2 distinct\)/);
  });

  it('refuses a typo in a numeric CSV column with one line naming its line and column', async () => {
    const csv = join(dir, 'typo.csv');
    await writeFile(csv, 'a,b,species\n1,2,x\n2,oops,y\n3,4,x\n4,5,y\n');
    const failed = await run(main, ['data', 'import', 'csv', csv, '--label', 'species', '--out', join(dir, 'e')]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^DATA_CSV_NOT_A_NUMBER: line 3, column "b": "oops" is not a number/);
    expect(failed.stderr.trimEnd().split('\n')).toHaveLength(1);
    const declared = await run(main, [
      ...['data', 'import', 'csv', csv, '--label', 'species', '--out', join(dir, 'f')],
      ...['--column-type', 'b=categorical'],
    ]);
    expect(declared.code, declared.stderr).toBe(0);
    expect(declared.stdout).toMatch(/b +feature +categorical +declared: declared categorical/);
  });

  it.each([
    ['zero', `0x${'0'.repeat(64)}`],
    ['the curve order', '0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141'],
    ['above the curve order', `0x${'f'.repeat(64)}`],
    ['too short', 'abcdef0123456789abcdef0123456789'],
  ])('refuses a key file holding %s with KEY_INVALID, never echoing it', async (_name, key) => {
    await mkdir(join(dir, 'keys'), { recursive: true });
    const file = join(dir, 'keys', `${_name.replaceAll(' ', '-')}.key`);
    await writeFile(file, `${key}\n`);
    const failed = await run(main, ['--json', '--data-dir', join(dir, 'k'), 'account', 'import', file], {
      AIC_PASSWORD: 'pw',
    });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^KEY_INVALID: the key in .* is not a valid secp256k1 private key: /);
    // The file's path is ours (a random temp dir, whose name may hold any digit): out of the text before looking.
    const shown = `${failed.stdout}\n${failed.stderr}`.toLowerCase().replaceAll(file.toLowerCase(), '<file>');
    expect(shown).not.toContain(key.replace(/^0x/, '').toLowerCase());
    // The value in decimal, where it is long enough not to occur by chance (zero's "0" is covered by its 64-digit hex).
    const decimal = BigInt(`0x${key.replace(/^0x/, '')}`).toString();
    if (decimal.length >= 16) expect(shown).not.toContain(decimal);
    expect(shown).not.toMatch(/\d{16,}/);
  });

  it('bin/aic.js runs the same commands from the TypeScript sources when asked to', async () => {
    const fromSource = await run(AIC_BIN, ['--help'], { AIC_CLI_FROM_SOURCE: '1' });
    expect(fromSource.code, fromSource.stderr).toBe(0);
    expect(fromSource.stdout).toBe((await run(main, ['--help'])).stdout);
  });
});
