/** The node's static serving of the web client (apps/node/src/web/web-client.ts) on a bare Fastify instance. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { registerWebClient, WEB_CSP } from '@aic/node/web';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';

async function distWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aic-web-dist-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

describe('web client serving', () => {
  it('serves index.html at / with the CSP and hashed assets immutable, gzip when accepted', async () => {
    const script = `console.log(${JSON.stringify('x'.repeat(4000))});`;
    const dir = await distWith({ 'index.html': '<div id="root"></div>', 'assets/index-abc123.js': script });
    const app = Fastify();
    expect(registerWebClient(app, dir)).toEqual({ served: true });
    const index = await app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toBe(WEB_CSP);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers['x-frame-options']).toBe('DENY');
    const js = await app.inject({
      method: 'GET',
      url: '/assets/index-abc123.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(js.headers['content-encoding']).toBe('gzip');
    expect(js.headers['cache-control']).toContain('immutable');
    expect(gunzipSync(js.rawPayload).toString()).toBe(script);
    const plain = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
    const head = await app.inject({ method: 'HEAD', url: '/' });
    expect(head.statusCode).toBe(200);
  });

  it('answers only the build files: other paths and traversal are not found', async () => {
    const dir = await distWith({ 'index.html': 'ok' });
    const app = Fastify();
    registerWebClient(app, dir);
    for (const url of ['/assets/missing.js', '/../package.json', '/%2e%2e/package.json', '/v1/anything']) {
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(404);
    }
  });

  it('without a build, / says how to make one', async () => {
    const app = Fastify();
    expect(registerWebClient(app, join(tmpdir(), 'aic-no-such-dist'))).toEqual({ served: false });
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('npm run build:web');
    expect(page.headers['content-security-policy']).toBe(WEB_CSP);
  });
});
