import { readFile } from 'node:fs/promises';
import { AicError, aicToWei } from '@aic/core';
import { InvalidArgumentError } from 'commander';
import type { CliIo } from './io.ts';

/** Commander argument parser for a non-negative integer. */
export function parseUint(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

/** Commander argument parser for a decimal AIC amount ("1.5"), returned in wei as a decimal string. */
export function parseAicToWei(value: string): string {
  if (!/^\d+(\.\d{1,18})?$/.test(value)) throw new InvalidArgumentError('expected a decimal AIC amount, e.g. 1.5');
  return aicToWei(value).toString();
}

/** Commander argument parser for a comma-separated list. */
export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Fails with CLI_INVALID_ARGUMENT naming the first missing flag. For flags that are required only when the body
 * does not come from a file (commander cannot express "required unless").
 */
export function requireFlags(flags: Record<string, unknown>, command: string, alternative: string): void {
  const missing = Object.entries(flags).find(([, value]) => value === undefined)?.[0];
  if (missing !== undefined) {
    throw new AicError('CLI_INVALID_ARGUMENT', `${command} needs ${missing} (or ${alternative})`);
  }
}

/** Gibibytes (may be fractional) to bytes. */
export function gibToBytes(gib: number): number {
  return Math.round(gib * 2 ** 30);
}

/** Commander argument parser for a non-negative number (GiB amounts). */
export function parseNonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a non-negative number');
  return n;
}

/** Reads a JSON document from a file, or from stdin when the path is "-". */
export async function readJsonArg(io: CliIo, path: string): Promise<unknown> {
  let text: string;
  try {
    text = path === '-' ? await readStream(io.stdin) : await readFile(path, 'utf8');
  } catch (cause) {
    throw new AicError('CLI_FILE_NOT_FOUND', `cannot read ${path}`, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new AicError('CLI_INVALID_ARGUMENT', `${path} is not valid JSON`, { cause });
  }
}

/** Reads a whole stream as UTF-8 text. */
export async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
