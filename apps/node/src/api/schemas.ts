import { z } from 'zod';

// Shared by the HTTP server (validation, serialization, OpenAPI) and the typed client (CLI, SDK), so they cannot drift.

/** Largest values of the unsigned integer types the contracts store amounts and ids in. */
export const MAX_UINT256 = 2n ** 256n - 1n;
export const MAX_UINT96 = 2n ** 96n - 1n;
export const MAX_UINT32 = 2n ** 32n - 1n;

/** An unsigned integer amount in wei, as a decimal string (JSON has no bigint), at most uint256's maximum. */
export const weiStringSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, 'a decimal integer amount in wei')
  .refine((v) => !/^[0-9]+$/.test(v) || BigInt(v) <= MAX_UINT256, 'at most 2^256 - 1 (uint256)');
const addressSchema = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'a 0x-prefixed 20-byte address');

/** Body of every non-2xx answer. */
export const apiErrorSchema = z.object({
  code: z.string().describe('stable error code, e.g. API_INVALID_REQUEST'),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

export const statusSchema = z.object({
  peerId: z.string(),
  address: addressSchema,
  multiaddrs: z.array(z.string()),
  uptimeSeconds: z.number().nonnegative(),
  startedAt: z.string().describe('ISO 8601'),
  connectedPeers: z.number().int().nonnegative(),
  connectivity: z
    .object({
      connectedPeers: z.number().int().nonnegative(),
      targetPeers: z.number().int().nonnegative().describe('connections the node keeps up'),
      minPeers: z.number().int().nonnegative(),
      underconnected: z.boolean().describe('fewer than minPeers connections: the node is re-dialling'),
    })
    .optional(),
  role: z.string().optional(),
  version: z.string(),
});
export type NodeStatus = z.infer<typeof statusSchema>;

export const balanceSchema = z.object({
  address: addressSchema,
  chainId: z.number().int(),
  aicWei: weiStringSchema,
  aic: z.string().describe('the same amount in AIC, decimal'),
  nativeWei: weiStringSchema.describe('gas coin of the chain, in wei'),
});
export type NodeBalance = z.infer<typeof balanceSchema>;

export const rewardsSchema = z.object({
  address: addressSchema,
  currentEpoch: z.number().int(),
  score: z.string().describe('Proof-of-Value score not yet converted to AIC (decimal integer)'),
  scoreEpoch: z.number().int().describe('the epoch that score was earned in'),
  claimableWei: weiStringSchema,
  claimable: z.string().describe('the same amount in AIC, decimal'),
  emissionPerEpochWei: weiStringSchema,
});
export type NodeRewards = z.infer<typeof rewardsSchema>;

export const rewardsClaimSchema = z.object({
  address: addressSchema,
  claimedWei: weiStringSchema,
  claimed: z.string().describe('the same amount in AIC, decimal'),
  transactionHash: z.string(),
});

/** A consumer rating of something this node's account used (RewardsPool.rate). */
export const ratingBodySchema = z.object({
  kind: z.enum(['asset', 'gpu', 'storage']).describe('an asset NFT, a GPU provider or a storage provider'),
  id: z
    .string()
    .regex(/^(0x[0-9a-fA-F]{40}|[0-9]{1,78})$/)
    .describe('the asset token id (decimal), or the provider address'),
  rating: z.number().int().min(0).max(100).describe('0 (worthless) … 100'),
});
export type RatingBody = z.infer<typeof ratingBodySchema>;

const ratingSentSchema = z.object({ rater: addressSchema, transactionHash: z.string() });
export const ratingResultSchema = ratingSentSchema.extend({
  ratings: z
    .array(ratingSentSchema)
    .describe("one rating per account of this node that paid for it this epoch (its job payers), or the node's own"),
});

export const peerSchema = z.object({
  peerId: z.string(),
  address: addressSchema.nullable().describe('the Ethereum address of the same key'),
  multiaddrs: z.array(z.string()),
  connected: z.boolean(),
  rttMs: z.number().nonnegative().nullable().describe('estimated round-trip time (Vivaldi), null if unknown'),
  score: z.number(),
});
export const peersSchema = z.object({ peers: z.array(peerSchema) });
export type PeerInfo = z.infer<typeof peerSchema>;

// Offer and job bodies mirror @aic/network's wire payloads (provider-offer.ts, job-announcement.ts) in their JSON
// form: amounts are decimal strings here and bigints on the wire side; the node converts in network-adapter.ts.

const safeUint = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const assetId = z.string().min(1).max(128);
const backendSchema = z.enum(['cpu', 'wasm', 'webgpu', 'tensorflow']);

export const hardwareSchema = z.strictObject({
  gpus: z.array(z.strictObject({ model: z.string().max(128), memoryBytes: safeUint })).max(64),
  cpuCores: z.number().int().min(0).max(4096),
  memoryBytes: safeUint,
  backends: z.array(backendSchema).min(1).max(4),
});

/** What a provider publishes (POST /v1/offers). `offerId` defaults to a fresh random id. */
export const offerInputSchema = z.strictObject({
  offerId: z.string().min(1).max(64).optional(),
  capacity: z.strictObject({
    gpus: z.number().int().min(0).max(64),
    concurrentJobs: z.number().int().min(1).max(1024),
  }),
  hardware: hardwareSchema,
  priceWeiPerHour: weiStringSchema,
  cachedDatasetIds: z.array(assetId).max(256).default([]),
  ttlSeconds: z.number().int().min(1).max(86_400).default(3600),
});
export type OfferInput = z.input<typeof offerInputSchema>;

/** An offer as seen on the network: the signed body plus its signer and times. */
export const offerSchema = offerInputSchema.extend({
  offerId: z.string(),
  provider: addressSchema.describe('address of the signer (its PeerId and address share one key)'),
  issuedAtMs: z.number().int(),
  expiresAtMs: z.number().int(),
});
export type Offer = z.infer<typeof offerSchema>;

export const offerListQuerySchema = z.strictObject({
  source: z.enum(['received', 'own', 'all']).default('all'),
});
export const offerListSchema = z.object({ offers: z.array(offerSchema) });

/** A requester's job announcement (POST /v1/jobs/announce). */
export const jobAnnouncementInputSchema = z.strictObject({
  jobId: z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected 0x + 64 hex digits (the on-chain job id)'),
  task: z.string().max(128),
  modelId: assetId,
  datasetIds: z.array(assetId).max(64).default([]),
  requirements: z.strictObject({
    minGpus: z.number().int().min(0).max(64),
    minGpuMemoryBytes: safeUint,
    backend: backendSchema,
  }),
  maxPriceWeiPerHour: weiStringSchema,
  deadlineMs: safeUint.describe('unix ms after which the job should not start'),
});
export type JobAnnouncementInput = z.input<typeof jobAnnouncementInputSchema>;

export const jobAnnouncementSchema = jobAnnouncementInputSchema.extend({
  requester: addressSchema,
  issuedAtMs: z.number().int(),
});
export type JobAnnouncement = z.infer<typeof jobAnnouncementSchema>;
export const jobAnnouncementListSchema = z.object({ announcements: z.array(jobAnnouncementSchema) });

// ---- models as assets and paid inference (POST /v1/models/publish, /v1/models/call, /v1/plaza/uses)

const MODEL_AIC_AMOUNT_RE = /^[0-9]{1,12}(\.[0-9]{1,18})?$/;
/** An AIC amount as decimal text ("2", "0.5"); at most 18 decimals and 12 integer digits (fits uint96 in wei). */
const modelAicAmount = z.string().regex(MODEL_AIC_AMOUNT_RE, 'an AIC amount, e.g. 40 or 2.5');
const modelIdText = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'a positive integer asset id')
  .refine((v) => !/^[0-9]+$/.test(v) || BigInt(v) <= MAX_UINT32, 'an asset id is at most 2^32 - 1 (uint32)');

export const modelPublishBodySchema = z.strictObject({
  manifest: z.string().min(2).max(60_000).describe('the manifest JSON text, exactly as published (bytes hashed)'),
  pricePerUseAic: modelAicAmount.describe('price of one use on PLAZA'),
});
export const modelPublishedSchema = z.object({
  modelId: z.string(),
  manifestCid: z.string().describe('CIDv1 (raw, sha2-256) of the manifest bytes in the node content store'),
  contentRoot: z.string().describe('keccak256 of the manifest bytes, the Model NFT content root'),
  pricePerUseWei: weiStringSchema,
});

export const modelPriceBodySchema = z.strictObject({
  modelId: modelIdText,
  pricePerUseAic: modelAicAmount.describe('the new price of one use on PLAZA (the node account must own the NFT)'),
});
export const modelPriceSchema = z.object({
  modelId: z.string(),
  pricePerUseWei: weiStringSchema,
  transactionHash: z.string(),
});

/** One sample: numbers, nested as the model's input shape (flattened row-major). */
const sampleSchema: z.ZodType<unknown> = z.array(z.union([z.number(), z.array(z.unknown())])).max(1_000_000);
export const modelCallBodySchema = z.strictObject({
  modelId: modelIdText,
  input: sampleSchema.optional().describe('one input sample'),
  inputs: z.array(sampleSchema).min(1).max(256).optional().describe('several samples (instead of input)'),
});
export const modelCallResultSchema = z.object({
  modelId: z.string(),
  outputs: z.array(z.array(z.number())).describe('one row of output values per sample'),
  labels: z.array(z.string()).optional().describe('class names of the output units, when the model declares them'),
  predictions: z.array(z.string()).optional().describe('the most likely label per sample (classification)'),
  servedBy: z.string().describe('PeerId of the node that ran the call'),
  usesLeft: z.string().describe("the caller's uses of this asset left after the call (decimal)"),
});

export const plazaUsesQuoteQuerySchema = z.strictObject({
  assetId: modelIdText,
  uses: z.coerce.number().int().min(1).max(1_000_000),
});
export const plazaUsesQuoteSchema = z.object({
  assetId: z.string(),
  uses: z.number().int(),
  pricePerUseWei: weiStringSchema,
  totalWei: weiStringSchema,
  total: z.string().describe('the same amount in AIC, decimal'),
  protocolFeeWei: weiStringSchema.describe('the part of totalWei that goes to the treasury'),
});
export const plazaUsesBodySchema = z.strictObject({
  assetId: modelIdText,
  uses: z.number().int().min(1).max(1_000_000),
  maxTotalAic: modelAicAmount.describe('refuse if the uses would cost more than this (price moved meanwhile)'),
});
export const plazaUsesBoughtSchema = z.object({
  assetId: z.string(),
  uses: z.number().int(),
  pricePerUseWei: weiStringSchema,
  paidWei: weiStringSchema,
  paid: z.string().describe('the same amount in AIC, decimal'),
  protocolFeeWei: weiStringSchema.describe('the part of paidWei that went to the treasury'),
  usesLeft: z.string(),
  transactionHash: z.string(),
});

// Storage Vessel (apps/node/src/storage): replicas of this node's datasets, and the --storage role.

const storageDecimalId = z.string().regex(/^[0-9]{1,78}$/, 'a decimal integer');
const storageAicAmount = z.string().regex(/^[0-9]{1,30}(\.[0-9]{1,18})?$/, 'an AIC amount, e.g. 0.5');

/** The most replicas one request places (each is a deal and a provider's fetch). */
export const MAX_REPLICAS_PER_REQUEST = 16;

export const replicateBodySchema = z.strictObject({
  datasetId: storageDecimalId,
  replicas: z.number().int().min(1).max(MAX_REPLICAS_PER_REQUEST),
  /** Price per storage epoch for the whole replica; default: each provider's quote. */
  pricePerEpochAic: storageAicAmount.optional(),
  /** Deal length in storage epochs; default: the preset's. */
  epochs: z.number().int().min(1).max(100_000).optional(),
});

const storagePlacementSchema = z.object({ dealId: z.string(), peerId: z.string(), provider: z.string() });

export const replicatedSchema = z.object({
  datasetId: z.string(),
  segmentRoot: z.string(),
  sizeBytes: z.number(),
  placed: z.array(storagePlacementSchema),
  existing: z.array(storagePlacementSchema),
});

export const storageStatusSchema = z.object({
  /** Whether this node runs the Storage Vessel role (`--storage`). */
  storage: z.boolean(),
  capacityBytes: z.number(),
  usedBytes: z.number(),
  earnedWei: z.string(),
  replicas: z.array(
    z.object({ datasetId: z.string(), segmentRoot: z.string(), sizeBytes: z.number(), manifestCid: z.string() }),
  ),
  deals: z.array(z.object({ dealId: z.string(), datasetId: z.string().optional(), state: z.number() })),
  /** Replicas of this node's datasets placed elsewhere. */
  placements: z.array(storagePlacementSchema.extend({ datasetId: z.string() })),
});

export type ReplicateBody = z.output<typeof replicateBodySchema>;

// Datasets published from this node (apps/node/src/data)
const datasetAicAmount = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$/, 'an AIC amount, e.g. 40 or 2.5')
  .refine((v) => BigInt(v.split('.')[0] ?? '0') * 10n ** 18n < MAX_UINT96, 'the price must fit in uint96');
export const datasetPublishBodySchema = z.strictObject({
  dir: z.string().min(1).max(4096).describe('a dataset dir made by `aic data import`, on the node machine'),
  pricePerUseAic: datasetAicAmount.describe('price of one use on PLAZA'),
  license: z
    .enum(['job-only', 'download'])
    .default('job-only')
    .describe('job-only: the key goes only to the workers of a funded job; download: also to usage-right holders'),
});
export const datasetPublishedSchema = z.object({
  datasetId: z.string().describe('the Dataset NFT id'),
  manifestCid: z.string().describe('CIDv1 (raw, sha2-256) of the manifest bytes in the node content store'),
  datasetRoot: z.string().describe('the Data Vessel dataset root, the Dataset NFT content root'),
  bytes: z.number().int().nonnegative().describe('sealed bytes stored'),
  chunks: z.number().int().nonnegative(),
});
export const datasetListSchema = z.object({
  datasets: z.array(
    datasetPublishedSchema.extend({
      name: z.string(),
      rows: z.number().int().nonnegative(),
      role: z.enum(['owner', 'replica']),
      license: z.enum(['job-only', 'download']),
      pricePerUseWei: weiStringSchema,
      publishedAt: z.string().describe('ISO 8601'),
    }),
  ),
});
const datasetIdText = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'a positive integer asset id')
  .refine((v) => !/^[0-9]+$/.test(v) || BigInt(v) <= MAX_UINT32, 'an asset id is at most 2^32 - 1 (uint32)');
export const datasetIdQuerySchema = z.strictObject({ datasetId: datasetIdText });
export const datasetManifestSchema = z.object({
  datasetId: z.string(),
  manifestCid: z.string(),
  datasetRoot: z.string().describe('checked against the Dataset NFT content root'),
  manifest: z.record(z.string(), z.unknown()).describe('the public manifest (aic-dataset/1)'),
  holders: z.array(z.object({ peerId: z.string(), role: z.string(), bytes: z.number() })),
});
export const datasetFetchBodySchema = z.strictObject({
  datasetId: datasetIdText,
  dir: z.string().min(1).max(4096).describe('where the plaintext shards go, on the node machine'),
});
export const datasetFetchedSchema = z.object({
  datasetId: z.string(),
  files: z.array(z.string()),
  trainRows: z.number().int().nonnegative(),
  bytesFetched: z.number().int().nonnegative(),
  fromCache: z.boolean(),
  holders: z.array(z.string()),
});
export type DatasetPublishBody = z.output<typeof datasetPublishBodySchema>;
