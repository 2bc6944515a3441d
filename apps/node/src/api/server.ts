import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { AicError } from '@aic/core';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { NodeMetrics } from '../metrics.ts';
import { registerWebClient } from '../web/web-client.ts';
import {
  type AccessPolicy,
  type ApiAccessInit,
  accessPolicy,
  checkAccess,
  checkRequestSignature,
  createSeenSignatures,
} from './access.ts';
import { boundedError } from './bounded.ts';
import { errorToResponse } from './errors.ts';
import { type ApiHandlers, apiRoutes, type RouteDef } from './routes.ts';
import { apiErrorSchema } from './schemas.ts';

export interface ApiServerInit {
  host: string;
  /** 0 picks a free port. */
  port: number;
  version: string;
  /** Largest accepted request body; offers and announcements are small. */
  bodyLimitBytes?: number;
  /** The API token writes need, and the Host / Origin allow-lists (README "Security"). */
  access: ApiAccessInit;
  /** The web client's static build served at `/` (default: apps/web/dist of the checkout). */
  webDistDir?: string;
}

/** Longest request target (path + query) served; longer is 414. Node refuses request lines over 16 KiB itself (431). */
export const MAX_URL_CHARS = 4096;

export interface ApiServerComponents {
  handlers: ApiHandlers;
  metrics: NodeMetrics;
  logger: Logger;
}

export interface ApiServer {
  /** Listens and returns the base URL, e.g. http://127.0.0.1:41234 */
  start(): Promise<string>;
  stop(): Promise<void>;
  /** For in-process tests (fastify inject). */
  readonly fastify: FastifyInstance;
}

/**
 * The node's HTTP API: every route of {@link apiRoutes} with zod validation and serialization, the OpenAPI document
 * at /openapi.json generated from the same schemas, Prometheus metrics at /metrics, typed error bodies.
 */
export async function createApiServer(init: ApiServerInit, components: ApiServerComponents): Promise<ApiServer> {
  const { logger, metrics } = components;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger, // Per-request lines would be noise at info; the onResponse hook counts requests in metrics instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: init.bodyLimitBytes ?? 64 * 1024,
    // Malformed HTTP and oversize request lines never reach a route: answer them in the API's format too.
    clientErrorHandler: answerClientError,
  });
  let policy: AccessPolicy | undefined;
  const seenSignatures = createSeenSignatures();
  const rawBodies = new WeakMap<object, string>();
  const needsSignature = new WeakSet<object>();
  // The exact body text is kept for the EIP-712 credential (it signs the body's bytes); parsing is Fastify's own.
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    rawBodies.set(request, body as string);
    parseJson(request, body as string, done);
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(fastifySwagger, {
    openapi: { info: { title: 'AIC node API', version: init.version } },
    transform: jsonSchemaTransform,
  });
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = errorToResponse(error);
    const log = status >= 500 ? request.log.error.bind(request.log) : request.log.debug.bind(request.log);
    // Bounded: a viem error carries a whole ABI (~32 KB), which must not become one log line per request.
    log({ error: boundedError(error), route: request.routeOptions.url, code: body.code, status }, 'request failed');
    if (status === 401) reply.header('www-authenticate', 'Bearer');
    return reply.status(status).send(body);
  });
  // Before routing and body parsing: a refused request is not parsed and spends nothing.
  app.addHook('onRequest', async (request) => {
    if (request.url.length > MAX_URL_CHARS) {
      throw new AicError(
        'API_URI_TOO_LONG',
        `request target of ${request.url.length} characters (limit ${MAX_URL_CHARS})`,
      );
    }
    if (policy === undefined) throw new AicError('NODE_NOT_STARTED', 'the API is not listening yet');
    const header = (name: string) => {
      const v = request.headers[name];
      return Array.isArray(v) ? v.join(',') : v;
    };
    const refusal = checkAccess(
      {
        method: request.method,
        host: header('host'),
        origin: header('origin'),
        authorization: header('authorization'),
        signature: header('x-aic-signature'),
        signedAt: header('x-aic-signed-at'),
        openRoute: (request.routeOptions.config as { openAccess?: boolean } | undefined)?.openAccess,
      },
      policy,
    );
    if (refusal === 'signature') needsSignature.add(request);
    else if (refusal !== undefined) throw refusal;
  });
  // A signed write is checked once its body is read (the signature covers the exact bytes), before validation.
  app.addHook('preValidation', async (request) => {
    if (!needsSignature.has(request) || policy === undefined) return;
    const header = (name: string) => {
      const v = request.headers[name];
      return Array.isArray(v) ? v.join(',') : v;
    };
    const refusal = await checkRequestSignature(
      {
        method: request.method,
        path: request.url,
        body: rawBodies.get(request),
        host: header('host'),
        origin: header('origin'),
        authorization: undefined,
        signature: header('x-aic-signature'),
        signedAt: header('x-aic-signed-at'),
      },
      policy,
      seenSignatures,
      Date.now(),
    );
    if (refusal !== undefined) throw refusal;
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ code: 'API_ROUTE_NOT_FOUND', message: `no route ${request.method} ${request.url}`, details: {} }),
  );
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequestsTotal.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpRequestDurationSeconds.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    done();
  });
  for (const [name, route] of Object.entries(apiRoutes) as Array<[keyof ApiHandlers, RouteDef]>) {
    registerRoute(app, name, route, components.handlers);
  }
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
  // The web client at `/` (the API stays under /v1); the same Host/Origin checks apply to its files.
  registerWebClient(app, init.webDistDir);
  return {
    fastify: app,
    async start() {
      await app.listen({ host: init.host, port: init.port });
      const address = app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : init.port;
      policy = accessPolicy(init.access, init.host, port);
      return `http://${init.host}:${port}`;
    },
    async stop() {
      // In-flight requests get a few seconds to finish (a submit mid-escrow should record its job), then their
      // connections are dropped: a client that keeps a request open must not hold the node's shutdown.
      const closing = app.close();
      const drain = setTimeout(() => app.server.closeAllConnections(), API_DRAIN_MS);
      try {
        await closing;
      } finally {
        clearTimeout(drain);
      }
    },
  };
}

/** Fastify's clientErrorHandler: an HTTP parse failure (e.g. a 60 KiB query string) answered as `{code, message, details}`. */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify({
    code: tooLarge ? 'API_HEADERS_TOO_LARGE' : 'API_INVALID_REQUEST',
    message: tooLarge ? 'request line or headers too large (limit 16 KiB)' : 'malformed HTTP request',
    details: typeof error.code === 'string' ? { parserCode: error.code } : {},
  });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** How long stop() waits for in-flight API requests before dropping their connections. */
const API_DRAIN_MS = 3_000;

function registerRoute(app: FastifyInstance, name: keyof ApiHandlers, route: RouteDef, handlers: ApiHandlers): void {
  const handler = handlers[name] as (input: { body: unknown; query: unknown }) => Promise<unknown>;
  app.route({
    method: route.method,
    url: route.path,
    config: { openAccess: route.access === 'open' },
    schema: {
      summary: route.summary,
      operationId: name,
      ...(route.body === undefined ? {} : { body: route.body }),
      ...(route.query === undefined ? {} : { querystring: route.query }),
      response: { [route.successStatus]: route.response, '4xx': apiErrorSchema, '5xx': apiErrorSchema },
    },
    handler: async (request, reply) => {
      const result = await handler({ body: request.body, query: request.query });
      return reply.status(route.successStatus).send(result);
    },
  });
}
