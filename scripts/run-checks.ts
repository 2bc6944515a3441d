/**
 * `npm run check`: the static checks (both typechecks, Biome, the layer rule, the error-code lists) run at once, each
 * output kept whole and printed under its name when it ends. They are independent, and run one after another they left
 * a core idle for the longest (the repository's typecheck) while `npm test` waited on them.
 * Exit code: 0 only when every check passed.
 */
import { spawn } from 'node:child_process';

const CHECKS: Array<{ name: string; script: string }> = [
  { name: 'typecheck', script: 'typecheck:repo' },
  { name: 'typecheck (web)', script: 'typecheck:web' },
  { name: 'lint', script: 'lint' },
  { name: 'layers', script: 'check:layers' },
  { name: 'error codes', script: 'check:errors' },
];

function run(script: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (error) => resolve({ code: 1, output: String(error) }));
    child.on('close', (code) => resolve({ code: code ?? 1, output: Buffer.concat(chunks).toString() }));
  });
}

const results = await Promise.all(
  CHECKS.map(async ({ name, script }) => {
    const started = Date.now();
    const { code, output } = await run(script);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`── ${name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${seconds} s\n`);
    if (output.trim() !== '') process.stdout.write(`${output.trimEnd()}\n`);
    return code;
  }),
);
process.exitCode = results.every((code) => code === 0) ? 0 : 1;
