import type { ApiClient } from '@aic/node/api';
import { defaultApiUrl, defaultDataDir } from '@aic/node/options';
import type { Command } from 'commander';
import type { CliIo } from './io.ts';

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  json: boolean;
  dataDir: string;
  api: string;
  /** --api-token-file: where writes read the node's API token (else $AIC_API_TOKEN, else the data dir's file). */
  apiTokenFile?: string | undefined;
}

/** What a command action gets: the process surface, the global options and a typed API client. */
export interface CommandContext {
  io: CliIo;
  global: GlobalOptions;
  /** The typed client of the node at --api (its module is loaded on the first call). */
  api(): ApiClient;
}

export function contextOf(io: CliIo, command: Command): CommandContext {
  const all = command.optsWithGlobals<Partial<GlobalOptions>>();
  const global: GlobalOptions = {
    json: all.json === true,
    dataDir: all.dataDir ?? defaultDataDir(io.env),
    api: all.api ?? defaultApiUrl(io.env),
    apiTokenFile: all.apiTokenFile,
  };
  let client: ApiClient | undefined;
  const tokenSource = { env: io.env, dataDir: global.dataDir, file: global.apiTokenFile };
  return { io, global, api: () => (client ??= lazyApiClient(global.api, tokenSource)) };
}

/** Where writes find the node's API token: --api-token-file, else $AIC_API_TOKEN, else the token file the node
 * wrote into --data-dir. */
export interface ApiTokenSource {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  file?: string | undefined;
}

/**
 * The API client with its module (route table, zod schemas, error mapping) loaded on the first request, so
 * commands that never reach a node (and `aic --help`) do not pay for it. Every route method is async anyway.
 * Writes send the node's API token (read on each write: $AIC_API_TOKEN, else `<data-dir>/node/api-token`;
 * API_TOKEN_UNREADABLE names the file when neither is there). Reads need none.
 */
export function lazyApiClient(baseUrl: string, tokenSource?: ApiTokenSource): ApiClient {
  let loaded: Promise<ApiClient> | undefined;
  const load = () =>
    (loaded ??= import('@aic/node/api').then(({ createApiClient, readApiToken }) =>
      createApiClient(baseUrl, {
        ...(tokenSource === undefined
          ? {}
          : {
              token: () =>
                tokenSource.file !== undefined
                  ? readApiToken(tokenSource.dataDir, tokenSource.file)
                  : tokenSource.env.AIC_API_TOKEN || readApiToken(tokenSource.dataDir),
            }),
      }),
    ));
  return new Proxy({} as ApiClient, {
    get(_target, name) {
      if (name === 'baseUrl') return baseUrl.replace(/\/+$/, '');
      if (typeof name !== 'string' || name === 'then') return undefined;
      return async (...args: unknown[]) => {
        const client = (await load()) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
        const call = client[name];
        if (call === undefined) throw new TypeError(`no API route ${name}`);
        return call(...args);
      };
    },
  });
}

/**
 * Wraps a command action: gives it a context plus its own parsed options and positional arguments.
 * Errors propagate to runCli, which prints the one-line `CODE: message`.
 */
export function action<O, A extends unknown[] = []>(
  io: CliIo,
  run: (ctx: CommandContext, options: O, ...args: A) => Promise<void>,
): (...raw: unknown[]) => Promise<void> {
  return async (...raw) => {
    const command = raw.at(-1) as Command;
    const args = raw.slice(0, -2) as A;
    await run(contextOf(io, command), command.opts() as O, ...args);
  };
}
