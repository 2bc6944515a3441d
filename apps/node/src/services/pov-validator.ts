/**
 * `--pov-validator`: this node is a validator of the PoV chain (the white paper's Skeleton main-net, whose
 * validators are the GPU Vessels). It runs @aic/chain's validator service on the node's own AIC network and key:
 * the chain's state on disk under <data-dir>/pov, its Ethereum JSON-RPC on 127.0.0.1:<pov-rpc-port>, which the
 * node's own ledger roles use (unless --rpc-url names another chain) as any viem client would.
 */
import { join } from 'node:path';
import { readPovGenesis, startPovValidatorNode } from '@aic/chain/node';
import { AicError } from '@aic/core';
import type { Logger } from 'pino';
import { bytesToHex } from 'viem';
import type { NodeNetwork } from '../network-port.ts';
import type { RunningService } from './republisher.ts';

export interface PovValidatorRoleInit {
  /** The chain's genesis file (chain id, genesis time, funded accounts, genesis validators). */
  genesisFile: string;
  /** JSON-RPC port on 127.0.0.1; 0 = any free port. */
  rpcPort: number;
}

export interface RunningPovValidator extends RunningService {
  rpcUrl: string;
}

export async function startPovValidatorRole(
  init: PovValidatorRoleInit & { dataDir: string },
  c: { privateKey: Uint8Array; network: NodeNetwork; logger: Logger },
): Promise<RunningPovValidator> {
  if (c.network.aic === undefined) {
    throw new AicError('NODE_START_FAILED', '--pov-validator needs the libp2p network (not an in-memory one)');
  }
  const genesis = await readPovGenesis(init.genesisFile);
  const log = c.logger;
  const node = await startPovValidatorNode({
    privateKey: bytesToHex(c.privateKey),
    network: c.network.aic,
    genesis,
    dataDir: join(init.dataDir, 'pov'),
    rpcPort: init.rpcPort,
    log,
  });
  const v = node.validator;
  v.on('proposed', (d) =>
    log.info({ number: Number(d.number), slot: Number(d.slot), txs: d.txs }, 'pov block proposed'),
  );
  v.on('finalized', (d) => log.info({ number: Number(d.number), hash: d.hash }, 'pov block finalized'));
  v.on('rejected', (d) => log.warn({ hash: d.hash, code: d.code, from: d.from }, 'pov block rejected'));
  v.on('evidence', (d) => log.warn({ kind: d.kind, proposer: d.proposer, slot: Number(d.slot) }, 'pov evidence'));
  log.info({ rpcUrl: node.rpc.url, chainId: genesis.spec.chainId }, 'pov validator serving');
  return { rpcUrl: node.rpc.url, stop: () => node.stop() };
}
