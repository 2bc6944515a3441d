/**
 * `npm start`'s demo job: escrow → allocation by the chain's seed → deterministic training with commitments →
 * verification of sampled segments by the drawn verifier → settlement → TrainedAI with lineage, on the real contracts.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');

describe('devnet demo job', () => {
  it('runs one job through the whole Proof-of-Value loop and pays every party', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'aic-demo-'));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'apps/devnet/src/main.ts',
        '--nodes',
        '0',
        '--port',
        '0',
        '--data-dir',
        dataDir,
        '--exit-when-ready',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, output).toBe(0);
    expect(output).not.toContain('demo job failed');
    expect(output).toMatch(/demo job: job #1 escrowed 57\.25 AIC/);
    expect(output).toMatch(/allocator assigned it to 0x[0-9a-fA-F]{40} at 40 AIC/);
    expect(output).toMatch(/re-ran 44 segments: 44 exact matches → valid/);
    // escrow 57.25 − (40 provider + 1 fee + 2 dataset + 1 model + 3 verifier) refunded → the requester paid 47
    expect(output).toMatch(/requester −47 AIC, .*data owner \+3 AIC, treasury \+1 AIC/);
    expect(output).toMatch(/TrainedAI #3 minted with lineage/);
  });
});
