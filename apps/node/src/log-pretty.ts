import { Writable } from 'node:stream';

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const LEVEL_COLORS: Record<number, string> = { 20: '90', 30: '32', 40: '33', 50: '31', 60: '35' };
const HIDDEN = new Set(['level', 'time', 'msg', 'module', 'name', 'pid', 'hostname']);

/**
 * A stream for pino that prints each JSON log line as one readable line for people at a terminal:
 * `12:00:01.234 INFO  node     node started peerId=16Uiu2… apiUrl=http://…`. The JSON form stays the default
 * for anything that is not a terminal (files, the devnet, tests).
 */
export function createPrettyLogStream(out: NodeJS.WritableStream & { isTTY?: boolean }): Writable {
  const color = out.isTTY === true;
  let pending = '';
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.length > 0) out.write(`${prettyLine(line, color)}\n`);
      done();
    },
  });
}

/** Formats one pino JSON line; a line that is not JSON passes through unchanged. */
export function prettyLine(line: string, color: boolean): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = typeof entry.level === 'number' ? entry.level : 30;
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : '';
  const name = (LEVEL_NAMES[level] ?? String(level)).padEnd(5);
  const paint = (code: string | undefined, text: string) =>
    color && code !== undefined ? `\x1b[${code}m${text}\x1b[0m` : text;
  const fields = Object.entries(entry)
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const module = String(entry.module ?? '').padEnd(8);
  return [time, paint(LEVEL_COLORS[level], name), paint('36', module), String(entry.msg ?? ''), ...fields].join(' ');
}
