/** The PLAZA assets route's schemas: shared by the server and the typed client (no server code here). */
import { z } from 'zod';

/** Asset kinds as the AssetRegistry numbers them (AssetTypes.sol `AssetKind`). */
export const ASSET_KINDS = ['Data', 'Dataset', 'Model', 'TrainedAI'] as const;
export type AssetKindName = (typeof ASSET_KINDS)[number];

/** Most assets one page lists; the registry is read newest first, one token at a time. */
export const PLAZA_PAGE_MAX = 200;

/** `GET /v1/plaza/assets?kind=&offset=&limit=`: newest first; `offset` counts matching assets. */
export const plazaAssetsQuerySchema = z.strictObject({
  kind: z.enum(ASSET_KINDS).optional(),
  offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(PLAZA_PAGE_MAX).default(50),
});
export type PlazaAssetsQuery = z.output<typeof plazaAssetsQuerySchema>;

const uintText = z.string().regex(/^(0|[1-9][0-9]*)$/);

export const plazaAssetSchema = z.object({
  tokenId: uintText,
  kind: z.enum(ASSET_KINDS),
  owner: z.string(),
  pricePerUseWei: uintText,
  pricePerUse: z.string().describe('the same price in AIC, decimal'),
  licenseId: z.number().int(),
  transferCount: z.number().int(),
  contentRoot: z.string(),
  manifestCid: z.string(),
  lineage: z.array(z.object({ parentId: uintText, shareBps: z.number().int() })),
  standing: z.lazy(() => assetStandingSchema).optional(),
  io: z
    .lazy(() => modelIoSchema)
    .nullable()
    .optional(),
  evaluation: z
    .lazy(() => evaluationSchema)
    .nullable()
    .optional(),
});
export type PlazaAsset = z.infer<typeof plazaAssetSchema>;

const tensorSchema = z.object({
  name: z.string(),
  dtype: z.string(),
  shape: z.array(z.number().int()),
  meaning: z.string(),
  labels: z.array(z.string()).optional().describe('the first class names (at most 20)'),
  labelCount: z.number().int().optional(),
});
/** A model's I/O dictionary and hyperparameter schema, from its manifest's bytes (null: not known to this node). */
export const modelIoSchema = z.object({
  task: z.string(),
  inputs: z.array(tensorSchema),
  outputs: z.array(tensorSchema),
  hyperparameters: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      default: z.union([z.number(), z.string(), z.boolean()]),
      minimum: z.number().optional(),
      maximum: z.number().optional(),
      enum: z.array(z.union([z.number(), z.string()])).optional(),
      description: z.string().optional(),
    }),
  ),
});
export type ModelIo = z.infer<typeof modelIoSchema>;

/** A TrainedAI's evaluation from the training job's progress lines, as the requester node that settled it kept them. */
export const evaluationSchema = z.object({
  jobId: uintText,
  finalLoss: z.number().nullable(),
  finalAccuracy: z.number().nullable(),
  steps: z.number().int(),
  totalSteps: z.number().int(),
});
export type AssetEvaluation = z.infer<typeof evaluationSchema>;

/** An asset's Proof-of-Value standing read from chain events (nothing estimated). */
export const assetStandingSchema = z.object({
  usesSold: z.number().int().describe('uses bought on PLAZA (UsesBought events)'),
  usesPaidWei: uintText.describe('AIC paid for them'),
  jobsUsing: z.number().int().describe('ComputeMarket jobs created with it as dataset or model'),
  ownerPovScore: uintText.describe("the owner's Proof-of-Value score summed over the RewardsPool's ScoreRecorded"),
  ownerPovEpochs: z.number().int(),
});
export type AssetStanding = z.infer<typeof assetStandingSchema>;

export const plazaAssetsSchema = z.object({
  /** Every asset minted so far (of any kind). */
  totalMinted: z.number().int(),
  assets: z.array(plazaAssetSchema),
});
export type PlazaAssets = z.infer<typeof plazaAssetsSchema>;

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);

/** `GET /v1/plaza/contracts`: where a browser wallet pays (approve on the token, then Plaza.buyUses / buy / rent). */
export const plazaContractsSchema = z.object({
  chainId: z.number().int(),
  token: address,
  plaza: address,
  registry: address,
});
export type PlazaContracts = z.infer<typeof plazaContractsSchema>;

/** `GET /v1/plaza/providers?addresses=0x…,0x…`: the GPU offers table's on-chain columns, at most 50 addresses. */
export const plazaProvidersQuerySchema = z.strictObject({
  addresses: z
    .string()
    .max(50 * 43)
    .transform((text) => text.split(',').filter((a) => a !== ''))
    .pipe(
      z
        .array(z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'a 0x-prefixed 20-byte address'))
        .min(1)
        .max(50),
    ),
});
export const plazaProvidersSchema = z.object({
  providers: z.array(
    z.object({
      address,
      registered: z.boolean(),
      hwClass: z.number().int().describe('the hardware class its stake backs (its class challenge was passed for it)'),
      stakeWei: uintText,
      activeJobs: z.number().int(),
      record: z
        .object({
          jobsAssigned: z.number().int(),
          jobsSettled: z.number().int(),
          jobsSlashed: z.number().int(),
          jobsPreempted: z.number().int(),
        })
        .optional()
        .describe("the provider's track record from ComputeMarket's events"),
    }),
  ),
});
export type PlazaProviders = z.infer<typeof plazaProvidersSchema>;
