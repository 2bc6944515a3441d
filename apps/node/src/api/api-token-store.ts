import { randomBytes } from 'node:crypto';
import { chmod, open, readFile, stat } from 'node:fs/promises';
import { AicError } from '@aic/core';
import { API_TOKEN_RE, apiTokenPath } from './api-token.ts';

/**
 * The node's API token: read from `<dataDir>/node/api-token`, or created there at first start (32 random bytes,
 * base64url, mode 0600, exclusive create so two starts cannot race). A file readable by others is narrowed to 0600.
 * The token itself is never logged; the node prints the file's path.
 */
export async function loadOrCreateApiToken(
  dataDir: string,
  onWarning: (message: string) => void = () => undefined,
): Promise<{ token: string; file: string }> {
  const file = apiTokenPath(dataDir);
  const existing = await readToken(file);
  if (existing !== undefined) {
    const mode = (await stat(file)).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      await chmod(file, 0o600);
      onWarning(`${file} was readable by others (mode ${mode.toString(8)}); narrowed to 0600`);
    }
    return { token: existing, file };
  }
  const token = randomBytes(32).toString('base64url');
  try {
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(`${token}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateApiToken(dataDir, onWarning);
    throw new AicError('STATE_WRITE_FAILED', `cannot create the API token file ${file}`, { cause });
  }
  return { token, file };
}

async function readToken(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AicError('STATE_READ_FAILED', `cannot read the API token file ${file}`, { cause: error });
  }
  if (!API_TOKEN_RE.test(text)) {
    throw new AicError('NODE_API_TOKEN_INVALID', `${file} does not hold an API token: delete it to get a new one`, {
      details: { file },
    });
  }
  return text;
}
