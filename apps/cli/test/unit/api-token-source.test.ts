import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAicError } from '@aic/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lazyApiClient } from '../../src/context.ts';

const TOKEN_DIR = 'a'.repeat(43);
const TOKEN_FILE = 'f'.repeat(43);
const TOKEN_ENV = 'e'.repeat(43);

describe("where aic finds the node's API token for writes", () => {
  let dir: string;
  let server: Server;
  let url: string;
  const seen: Array<string | undefined> = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aic-token-src-'));
    await mkdir(join(dir, 'node'));
    await writeFile(join(dir, 'node', 'api-token'), `${TOKEN_DIR}\n`);
    await writeFile(join(dir, 'other-token'), TOKEN_FILE);
    // Answers every write as the node does for a claim with nothing to claim, recording the credential sent.
    server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(409, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'REWARDS_CONFLICT', message: 'nothing to claim', details: {} }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const claim = async (source: Parameters<typeof lazyApiClient>[1]) => {
    const error = await lazyApiClient(url, source)
      .claimRewards()
      .catch((e: unknown) => e);
    return { error, sent: seen.at(-1) };
  };

  it('prefers --api-token-file, then $AIC_API_TOKEN, then <data-dir>/node/api-token', async () => {
    const env = { AIC_API_TOKEN: TOKEN_ENV };
    expect((await claim({ env, dataDir: dir, file: join(dir, 'other-token') })).sent).toBe(`Bearer ${TOKEN_FILE}`);
    expect((await claim({ env, dataDir: dir })).sent).toBe(`Bearer ${TOKEN_ENV}`);
    expect((await claim({ env: {}, dataDir: dir })).sent).toBe(`Bearer ${TOKEN_DIR}`);
  });

  it('names the missing file (never a token) when there is none', async () => {
    const before = seen.length;
    const { error } = await claim({ env: {}, dataDir: join(dir, 'nowhere') });
    expect(isAicError(error, 'API_TOKEN_UNREADABLE')).toBe(true);
    expect((error as Error).message).toContain(join(dir, 'nowhere', 'node', 'api-token'));
    expect(seen.length).toBe(before); // nothing was sent
  });
});
