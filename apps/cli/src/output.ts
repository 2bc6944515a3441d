import { isAicError } from '@aic/core';
import type { CliIo } from './io.ts';

/** Prints a command's result: the JSON value with --json, else the human text. */
export function printResult<T>(io: CliIo, json: boolean, value: T, human: (value: T) => string): void {
  io.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human(value)}\n`);
}

/** The one line shown for a failure: `CODE: message`. Never includes secrets (AicErrors carry none). */
export function errorLine(error: unknown): string {
  if (isAicError(error)) return error.toLine();
  if (error instanceof Error) return `CLI_UNEXPECTED: ${error.message.split('\n')[0]}`;
  return `CLI_UNEXPECTED: ${String(error)}`;
}

/** With --json, failures are also printed to stdout as `{"error":{code,message,details}}` for scripts. */
export function errorJson(error: unknown): {
  error: { code: string; message: string; details: Record<string, unknown> };
} {
  if (isAicError(error)) {
    const { code, message, details } = error.toJSON();
    return { error: { code, message, details } };
  }
  return {
    error: { code: 'CLI_UNEXPECTED', message: error instanceof Error ? error.message : String(error), details: {} },
  };
}

/** Renders rows as aligned columns. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
