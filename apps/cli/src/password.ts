import { AicError } from '@aic/core';
import type { CliIo } from './io.ts';

/**
 * A keystore password from --password-file, AIC_PASSWORD, or a hidden prompt (terminal only), in that order.
 * `confirm` asks twice (new accounts). The password is never echoed, printed or logged.
 */
export async function resolvePassword(
  io: CliIo,
  opts: { passwordFile?: string | undefined; confirm?: boolean; purpose: string },
): Promise<string> {
  // Loaded here, not at start-up: the identity module pulls in the keystore crypto and viem.
  const { PASSWORD_ENV, passwordFromSources } = await import('@aic/node/identity');
  const given = await passwordFromSources({ passwordFile: opts.passwordFile, env: io.env });
  if (given !== undefined) return given;
  if (io.stdin.isTTY !== true || io.stdin.setRawMode === undefined) {
    throw new AicError(
      'PASSWORD_REQUIRED',
      `no password: use --password-file, set ${PASSWORD_ENV}, or run in a terminal`,
    );
  }
  const first = await promptHidden(io, `Password for ${opts.purpose}: `);
  if (opts.confirm === true) {
    const second = await promptHidden(io, 'Repeat password: ');
    if (first !== second) throw new AicError('PASSWORD_MISMATCH', 'the passwords do not match');
  }
  return first;
}

/** Reads one line from a terminal in raw mode without echoing it. Ctrl-C cancels. */
function promptHidden(io: CliIo, question: string): Promise<string> {
  const { stdin } = io;
  io.stderr.write(question);
  stdin.setRawMode?.(true);
  stdin.resume();
  return new Promise<string>((resolve, reject) => {
    let text = '';
    const done = (error?: AicError) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr.write('\n');
      if (error === undefined) resolve(text);
      else reject(error);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new AicError('CLI_CANCELLED', 'cancelled'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
  });
}
