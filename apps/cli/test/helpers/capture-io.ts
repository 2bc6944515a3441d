import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/io.ts';

/** An in-memory CliIo: collects stdout/stderr, with the given environment and stdin text. */
export function captureIo(
  env: NodeJS.ProcessEnv = {},
  stdinText?: string,
): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const stdin = new PassThrough();
  if (stdinText === undefined) stdin.end();
  else stdin.end(stdinText);
  return { io: { stdout, stderr, stdin, env }, out: () => out, err: () => err };
}
