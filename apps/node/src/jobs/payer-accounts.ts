/**
 * The node's fresh payer accounts (issue 15): every job its requester escrows and every canary its coordinator issues
 * is paid by a fresh key (packages/gpu-vessel/src/agent/fresh-payers.ts). The keys of each kind are kept as keystores
 * in their own directory of the data dir, encrypted under a secret derived from the node's own key with the kind's
 * domain (so only this node opens them, and nothing extra has to be typed or stored); each is connected to the node's
 * chain like the node's own client.
 */
import { join } from 'node:path';
import type { FreshPayerPort } from '@aic/gpu-vessel';
import { connectLedger } from '@aic/ledger';
import { concatBytes, keccak256, stringToBytes } from 'viem';

export interface PayerAccountsInit {
  dataDir: string;
  rpcUrl: string;
  deploymentFile: string;
  privateKey: Uint8Array;
}

/** Where each kind's keys live and the domain its keystore secret is derived with. */
const KINDS = {
  canary: { dir: ['coordinator', 'canary-payers'], domain: 'aic canary payer keys' },
  job: { dir: ['requester', 'payers'], domain: 'aic job payer keys' },
} as const;

export function payerPortOf(init: PayerAccountsInit, kind: keyof typeof KINDS): FreshPayerPort {
  const { dir, domain } = KINDS[kind];
  // A domain-separated hash of the node key: a keystore password that never leaves this process.
  const secret = keccak256(concatBytes([stringToBytes(domain), init.privateKey]));
  return {
    dir: join(init.dataDir, ...dir),
    secret,
    connect: (privateKey) => connectLedger({ rpcUrl: init.rpcUrl, deploymentFile: init.deploymentFile, privateKey }),
  };
}
