import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The web client's headers. Scripts only from this origin (no inline script, no eval): a wallet app must not run
 * anything a page or a manifest could inject. The wallet extension talks to its own RPC, outside this policy.
 * Inline styles stay allowed because the chart library sizes its canvas with style attributes.
 */
export const WEB_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': WEB_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
} as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Files larger than this are not served (the build is a few hundred KB; anything huge is not ours). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

interface WebFile {
  body: Buffer;
  gzip: Buffer | undefined;
  contentType: string;
  immutable: boolean;
}

/** Where the web client's build is: apps/web/dist beside this package, in the checkout. */
export function defaultWebDistDir(): string {
  return fileURLToPath(new URL('../../../web/dist', import.meta.url));
}

/**
 * Serves the web client's static build at `/` (index.html) and its files by their exact paths (no wildcard, so
 * unknown paths keep the API's 404). The files are read once at start: a node serves the build it started with.
 * Without a build, `/` answers a page that says how to make one.
 */
export function registerWebClient(app: FastifyInstance, distDir: string = defaultWebDistDir()): { served: boolean } {
  const files = existsSync(join(distDir, 'index.html')) ? readBuild(distDir) : undefined;
  if (files === undefined) {
    app.get('/', { schema: { hide: true } }, (_request, reply) =>
      reply
        .status(503)
        .headers(SECURITY_HEADERS)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(missingBuildPage(distDir)),
    );
    return { served: false };
  }
  for (const [path, file] of files) {
    const send = (request: FastifyRequest, reply: FastifyReply) => sendFile(request, reply, file);
    app.get(path, { schema: { hide: true } }, send);
    if (path === '/index.html') app.get('/', { schema: { hide: true } }, send);
  }
  return { served: true };
}

function sendFile(request: FastifyRequest, reply: FastifyReply, file: WebFile) {
  reply
    .headers(SECURITY_HEADERS)
    .header('content-type', file.contentType)
    .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('vary', 'accept-encoding');
  const accepts = request.headers['accept-encoding'];
  if (file.gzip !== undefined && typeof accepts === 'string' && /\bgzip\b/.test(accepts)) {
    return reply.header('content-encoding', 'gzip').send(file.gzip);
  }
  return reply.send(file.body);
}

function readBuild(distDir: string): Map<string, WebFile> {
  const files = new Map<string, WebFile>();
  for (const path of walk(distDir)) {
    const size = statSync(path).size;
    if (size > MAX_FILE_BYTES) continue;
    const body = readFileSync(path);
    const ext = extname(path);
    const contentType = CONTENT_TYPES[ext] ?? 'application/octet-stream';
    const compressible = /^(text\/|application\/(json|manifest)|image\/svg)/.test(contentType) && size > 1024;
    const url = `/${relative(distDir, path).split(sep).map(encodeURIComponent).join('/')}`;
    files.set(url, {
      body,
      gzip: compressible ? gzipSync(body, { level: 9 }) : undefined,
      contentType,
      // Vite names every asset by its content hash; only index.html and the like keep their names.
      immutable: url.startsWith('/assets/'),
    });
  }
  return files;
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

function missingBuildPage(distDir: string): string {
  const where = distDir.replace(/[<>&"]/g, '');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>AIC node</title></head>
<body><main><h1>AIC node: the web client is not built</h1>
<p>This node serves its HTTP API under <code>/v1</code>, but found no web client build in <code>${where}</code>.</p>
<p>Build it in the checkout with <code>npm run build:web</code> and restart the node.</p></main></body></html>`;
}
