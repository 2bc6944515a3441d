import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createPrettyLogStream, prettyLine } from '../../src/log-pretty.ts';
import { createRootLogger } from '../../src/logger.ts';

describe('pretty log lines', () => {
  it('formats a pino line as time, level, module, message and fields', () => {
    const line = JSON.stringify({
      level: 40,
      time: Date.UTC(2026, 0, 1, 12, 0, 1, 234),
      module: 'node',
      msg: 'peer banned',
      peerId: 'p1',
      score: -120,
    });
    expect(prettyLine(line, false)).toBe('12:00:01.234 WARN  node     peer banned peerId=p1 score=-120');
  });

  it('passes through what is not JSON', () => {
    expect(prettyLine('plain text', false)).toBe('plain text');
  });

  it('works as a pino destination and still redacts secrets', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => {
      text += c.toString();
    });
    const logger = createRootLogger({ destination: createPrettyLogStream(out) });
    logger.child({ module: 'run' }).info({ password: 'hunter2', keystore: '/k.json' }, 'unlocking keystore');
    expect(text).toMatch(/INFO {2}run {6}unlocking keystore password=\[redacted\] keystore=\/k\.json\n$/);
    expect(text).not.toContain('hunter2');
  });
});
