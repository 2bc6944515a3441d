/** Where the AIC contracts live on a chain: the JSON written by `npm start` / `npm run deploy` and read by nodes. */
import { AicError } from '@aic/core';
import { type Address, getAddress, isAddress } from 'viem';
import { z } from 'zod';

const address = z
  .string()
  .refine((v) => isAddress(v, { strict: false }), 'not an address')
  .transform((v) => getAddress(v));

export const deploymentSchema = z.object({
  chainId: z.number().int().positive(),
  blockNumber: z.union([z.string(), z.number(), z.bigint()]).transform((v) => BigInt(v)),
  deployer: address,
  contracts: z.object({
    AICToken: address,
    RewardsPool: address,
    AssetRegistry: address,
    Payroll: address,
    Plaza: address,
    ComputeMarket: address,
    StorageMarket: address,
    DataRequests: address,
  }),
  /** The PoV chain's contracts, deployed only with it (`deployPovContracts`): extra issuance and validator stakes. */
  pov: z.object({ AICIssuer: address, ValidatorStakes: address }).optional(),
});

export type AicDeployment = z.output<typeof deploymentSchema>;
export type AicContractAddresses = AicDeployment['contracts'];

/** Parses untrusted deployment JSON (a file, an API body) into typed addresses. */
export function parseDeployment(json: unknown): AicDeployment {
  const parsed = deploymentSchema.safeParse(json);
  if (!parsed.success) {
    throw new AicError('LEDGER_DEPLOYMENT_INVALID', 'deployment JSON is invalid', {
      details: { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
    });
  }
  return parsed.data;
}

/** Serializes a deployment for a file (bigints as decimal strings). */
export function deploymentToJson(deployment: AicDeployment): string {
  return JSON.stringify({ ...deployment, blockNumber: deployment.blockNumber.toString() }, null, 2);
}

export type { Address };
