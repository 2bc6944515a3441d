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
});
export type PlazaAsset = z.infer<typeof plazaAssetSchema>;

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
    }),
  ),
});
export type PlazaProviders = z.infer<typeof plazaProvidersSchema>;
