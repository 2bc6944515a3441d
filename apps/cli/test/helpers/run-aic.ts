import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed `aic` entry (bin/aic.js). */
export const AIC_BIN = join(dirname(fileURLToPath(import.meta.url)), '../../bin/aic.js');

export interface AicRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `aic <args>` as a real process and collects its exit code and output. */
export function runAic(args: string[], env: Record<string, string> = {}): Promise<AicRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [AIC_BIN, ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs `aic --json <args>`, expects success and parses stdout. */
export async function aicJson<T>(args: string[], env: Record<string, string> = {}): Promise<T> {
  const run = await runAic(['--json', ...args], env);
  if (run.code !== 0) throw new Error(`aic ${args.join(' ')} failed (${run.code}): ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
