import { findKeystore, keystoreDir, unlockKeystore } from './identity/keystore-files.ts';
import { createPrettyLogStream } from './log-pretty.ts';
import { createRootLogger, type Logger, moduleLogger } from './logger.ts';
import { createAicNetworkAdapter } from './network-adapter.ts';
import type { NetworkFactory } from './network-port.ts';
import { type AicNode, createAicNode } from './node.ts';
import { READY_MESSAGE, type RunNodeOptions } from './options.ts';

export { READY_MESSAGE } from './options.ts';

export interface RunningNode {
  node: AicNode;
  logger: Logger;
  /** Settles when the node has stopped (signal, SIGINT/SIGTERM, or stop()). */
  stopped: Promise<void>;
}

/**
 * Runs a node as the main thing of this process: unlocks the keystore, starts the node, stops it on SIGINT/SIGTERM
 * or when `signal` aborts, and logs `node ready` (with apiUrl, peerId, address, multiaddrs) once it serves.
 */
export async function runNode(
  options: RunNodeOptions,
  deps: { signal?: AbortSignal; destination?: NodeJS.WritableStream; createNetwork?: NetworkFactory } = {},
): Promise<RunningNode> {
  const out = deps.destination ?? process.stdout;
  const logger = createRootLogger({
    level: options.logLevel,
    destination: options.logFormat === 'pretty' ? createPrettyLogStream(out) : out,
  });
  const log = moduleLogger(logger, 'run');
  const keystorePath = options.keystore ?? (await findKeystore(keystoreDir(options.dataDir), options.account)).path;
  log.info({ keystore: keystorePath }, 'unlocking keystore');
  const { privateKey } = await unlockKeystore(keystorePath, options.password);
  const node = createAicNode(
    {
      dataDir: options.dataDir,
      listen: options.listen,
      bootstrap: options.bootstrap,
      apiHost: options.apiHost,
      apiPort: options.apiPort,
      ...definedOnly({
        role: options.role,
        rpcUrl: options.rpcUrl,
        deploymentFile: options.deploymentFile,
        povValidator: options.povValidator,
        republishIntervalMs: options.republishIntervalMs,
        coordinatesIntervalMs: options.coordinatesIntervalMs,
        targetPeers: options.targetPeers,
        jobs: options.jobs,
        rater: options.rater,
        api: options.api,
        storage: options.storage,
      }),
    },
    { privateKey, logger, createNetwork: deps.createNetwork ?? createAicNetworkAdapter },
  );
  const controller = new AbortController();
  deps.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    log.info({ signal }, 'signal received, stopping');
    controller.abort();
  };
  // `on`, not `once`: a repeated signal during shutdown must not fall through to the default (kill) handler.
  const removeSignalHandlers = () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await node.start(controller.signal).catch((error: unknown) => {
    removeSignalHandlers();
    throw error;
  });
  const stopped = node.stopped.finally(removeSignalHandlers);
  log.info(
    {
      apiUrl: node.apiUrl,
      peerId: node.peerId,
      address: node.address,
      multiaddrs: node.multiaddrs(),
      role: options.role,
    },
    READY_MESSAGE,
  );
  return { node, logger, stopped };
}

function definedOnly<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
