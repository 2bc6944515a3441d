/**
 * Deployment configuration: who receives the genesis allocation, who holds which role, and the economic parameters.
 * Validated with zod at the boundary (a deploy config file is untrusted input).
 */
import { aicToWei } from '@aic/core';
import { type AicPreset, devnetPreset, mainnetPreset, minimalPreset } from '@aic/core/params';
import { type Address, isAddress } from 'viem';
import { z } from 'zod';

const address = z.string().refine((v): v is Address => isAddress(v, { strict: false }), 'not an address');
const aicAmount = z.union([z.string(), z.number()]).transform((v, ctx) => {
  try {
    const wei = aicToWei(v);
    if (wei < 0n) throw new RangeError('negative');
    return wei;
  } catch {
    ctx.addIssue({ code: 'custom', message: `not a non-negative AIC amount: ${v}` });
    return z.NEVER;
  }
});
const bps = z.number().int().min(0).max(10_000);

export const marketParamsSchema = z.object({
  protocolFeeBps: bps.max(1_000),
  challengeWindowSec: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31),
  slashBps: bps,
  slashToVerifierBps: bps,
  /** Time the drawn verifier has for its verdict; after it anyone may draw another (ComputeMarket.redrawVerifier). */
  verifyWindowSec: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31),
  /** Providers on a job's seeded shortlist; anyone may assign the job to one of them (ComputeMarket.assignJob). */
  assignShortlistSize: z.number().int().min(1).max(255),
  /** Time a shortlist stands before anyone may draw another for a job still unplaced (redrawAssignment). */
  assignWindowSec: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31),
  /** Verifiers stake to be drawn (ComputeMarket's VerifierStakes): minimum, silence penalty, slash share, unbonding. */
  verifierMinStakeAic: aicAmount,
  verifierSilencePenaltyAic: aicAmount,
  verifierSlashBps: bps,
  verifierUnbondingSec: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31),
  /** DisputeCourt: committee size (≥ 3; an appeal seats twice as many), vote and appeal windows, appeal bond. */
  courtCommitteeSize: z.number().int().min(3).max(127).default(devnetPreset.contracts.courtCommitteeSize),
  courtVoteWindowSec: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31)
    .default(devnetPreset.contracts.courtVoteWindowSec),
  courtAppealWindowSec: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(devnetPreset.contracts.courtAppealWindowSec),
  courtAppealBondAic: aicAmount.prefault(devnetPreset.contracts.courtAppealBondAic),
  plazaFeeBps: bps.max(1_000),
  epochDurationSec: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31),
  emissionPerEpochAic: aicAmount,
  /** Most AIC wei an epoch pays per score unit (0 = no cap); the rest stays in the pool. */
  maxRewardWeiPerScore: z.union([z.string(), z.number()]).transform((v, ctx) => {
    try {
      const wei = BigInt(v);
      if (wei < 0n) throw new RangeError('negative');
      return wei;
    } catch {
      ctx.addIssue({ code: 'custom', message: `not a non-negative wei amount: ${v}` });
      return z.NEVER;
    }
  }),
  raterMinStakeAic: aicAmount,
  scoreChallengeWindowSec: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31),
  raterSlashBps: bps,
  /** Minimum provider stake per hardware class (index = class), in AIC. */
  minStakeByClassAic: z.array(aicAmount).max(256),
  /** Storage Vessel: length of a paid storage epoch, blocks a provider has to answer a challenge, challenger's cut. */
  storageEpochSec: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31),
  storageResponseWindowBlocks: z.number().int().min(1).max(250),
  storageChallengerShareBps: bps,
});
export type MarketParams = z.output<typeof marketParamsSchema>;
export type MarketParamsInput = z.input<typeof marketParamsSchema>;

export const deployConfigSchema = z.object({
  admin: address,
  treasury: address,
  allocation: z.object({
    investors: address,
    team: address,
    marketing: address,
    advisors: address,
    company: address,
  }),
  roles: z
    .object({
      allocators: z.array(address).default([]),
      verifiers: z.array(address).default([]),
      arbiters: z.array(address).default([]),
    })
    .default({ allocators: [], verifiers: [], arbiters: [] }),
  params: marketParamsSchema,
});
export type DeployConfig = z.output<typeof deployConfigSchema>;
export type DeployConfigInput = z.input<typeof deployConfigSchema>;

/**
 * Contract parameters of each preset (`@aic/core/params`, Lodestar's "minimal" preset for fast tests): `minimal` for
 * tests, `devnet` for `npm start` (short windows), `standard` = the `mainnet` preset (production-like).
 */
export const PRESETS = {
  minimal: marketParamsOf(minimalPreset),
  devnet: marketParamsOf(devnetPreset),
  standard: marketParamsOf(mainnetPreset),
} as const;

/** A preset's contract parameters as a deploy config's `params` (the schema's input shape). */
export function marketParamsOf(preset: AicPreset): MarketParamsInput {
  return { ...preset.contracts, minStakeByClassAic: [...preset.contracts.minStakeByClassAic] };
}
