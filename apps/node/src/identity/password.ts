import { readFile } from 'node:fs/promises';
import { AicError } from '@aic/core';

/** Environment variable a password may come from (scripts, devnet, tests). */
export const PASSWORD_ENV = 'AIC_PASSWORD';

/**
 * A keystore password from `--password-file` (first line) or AIC_PASSWORD, in that order; undefined if neither is
 * set (an interactive caller then prompts). The password is never logged.
 */
export async function passwordFromSources(opts: {
  passwordFile?: string | undefined;
  env?: NodeJS.ProcessEnv;
}): Promise<string | undefined> {
  if (opts.passwordFile !== undefined) {
    let text: string;
    try {
      text = await readFile(opts.passwordFile, 'utf8');
    } catch (cause) {
      throw new AicError('PASSWORD_FILE_NOT_FOUND', `cannot read password file ${opts.passwordFile}`, { cause });
    }
    return text.split(/\r?\n/)[0] ?? '';
  }
  const fromEnv = (opts.env ?? process.env)[PASSWORD_ENV];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}
