/** A devnet for job tests: served chain + 6 node processes with the job roles (requester, 2 GPU Vessels, data owner,
 * coordinator, 2 verifiers), each a real process on 127.0.0.1. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DevnetChain, startDevnetChain } from './chain.ts';
import { type DevnetNodes, type DevnetRole, devAccountKey, startDevnetNodes } from './nodes.ts';

/** Dev accounts of the nodes: requester, 2 providers, data owner (users), allocator+arbiter (7), verifiers (8, 9). */
export const JOB_NODE_KEYS = [12, 13, 14, 15, 7, 8, 9];

export interface JobNetwork extends DevnetChain, DevnetNodes {
  lines: string[];
  close(): Promise<void>;
}

export async function startJobNetwork(
  options: {
    envOf?: (index: number) => Record<string, string>;
    argsOf?: (index: number) => string[];
    count?: number;
    keys?: number[];
    roles?: DevnetRole[];
    verifyWindowSec?: number;
    assignShortlistSize?: number;
  } = {},
): Promise<JobNetwork> {
  const dataDir = await mkdtemp(join(tmpdir(), 'aic-jobnet-'));
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const chain = await startDevnetChain({
    port: 0,
    dataDir,
    blockIntervalMs: 500,
    log,
    ...(options.verifyWindowSec === undefined ? {} : { verifyWindowSec: options.verifyWindowSec }),
    ...(options.assignShortlistSize === undefined ? {} : { assignShortlistSize: options.assignShortlistSize }),
  });
  const keys = options.keys ?? JOB_NODE_KEYS;
  const nodes = await startDevnetNodes({
    count: options.count ?? keys.length,
    rpcUrl: chain.rpcUrl,
    deploymentFile: chain.deploymentFile,
    dataDir,
    privateKeys: keys.map(devAccountKey),
    jobRoles: true,
    demoActivity: false,
    ...(options.envOf ? { envOf: options.envOf } : {}),
    ...(options.argsOf ? { argsOf: options.argsOf } : {}),
    ...(options.roles ? { roles: options.roles } : {}),
    onEvent: (e) => lines.push(JSON.stringify(e)),
  });
  return {
    ...chain,
    ...nodes,
    lines,
    async close() {
      await nodes.stop();
      await chain.close();
    },
  };
}
