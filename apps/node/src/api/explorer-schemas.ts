/**
 * Schemas of the read-only chain routes behind the web client's Explorer and dashboards (`/v1/explorer/*`,
 * `/v1/accounts/*`): shared by the server and the typed client (no server code here). Amounts are wei as decimal
 * text; lists are bounded pages.
 */
import { z } from 'zod';

const uintText = z.string().regex(/^(0|[1-9][0-9]*)$/);
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'a 0x-prefixed 20-byte address');
const txHash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'a 0x-prefixed 32-byte transaction hash');
const idText = z.string().regex(/^[1-9][0-9]{0,19}$/, 'a positive whole number');
const blockNumber = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Longest list of events one answer carries (the newest are kept). */
export const EXPLORER_EVENTS_MAX = 200;
/** Most blocks one page of `/v1/explorer/blocks` lists. */
export const EXPLORER_BLOCKS_MAX = 50;

export const chainEventSchema = z.object({
  contract: z.string(),
  event: z.string(),
  args: z.record(z.string(), z.unknown()).describe('decoded arguments; integers as decimal text'),
  block: z.number().int(),
  logIndex: z.number().int(),
  tx: z.string(),
  time: z.number().int().describe('block timestamp, unix seconds'),
});

export const addressQuerySchema = z.strictObject({ address });

// ---- dashboards

const incomeSourceSchema = z.enum(['compute', 'verification', 'data', 'model', 'storage', 'rewards']);
const totalsSchema = z.object({
  compute: uintText,
  verification: uintText,
  data: uintText,
  model: uintText,
  storage: uintText,
  rewards: uintText,
});

export const accountEarningsSchema = z.object({
  address,
  /** The last block the answer covers. */
  head: z.number().int(),
  totals: totalsSchema,
  totalWei: uintText,
  items: z.array(
    z.object({
      source: incomeSourceSchema,
      amountWei: uintText,
      block: z.number().int(),
      time: z.number().int(),
      tx: z.string(),
      what: z.string(),
    }),
  ),
  /** Cumulative earnings per source after each income item, oldest first. */
  series: z.array(totalsSchema.extend({ time: z.number().int(), block: z.number().int() })),
  gpu: z.object({
    registered: z.boolean(),
    hwClass: z.number().int().nullable(),
    stakeWei: uintText,
    slashedWei: uintText,
    jobs: z.array(
      z.object({
        jobId: uintText,
        role: z.enum(['provider', 'verifier', 'requester']),
        state: z.string(),
        paidWei: uintText,
        lastBlock: z.number().int(),
      }),
    ),
  }),
  assets: z.array(
    z.object({
      tokenId: uintText,
      kind: z.enum(['Data', 'Dataset', 'Model', 'TrainedAI']),
      ownedNow: z.boolean(),
      usesSold: uintText,
      usesConsumed: uintText,
      jobs: z.number().int(),
      incomeWei: uintText,
    }),
  ),
  storage: z.object({
    deals: z.array(
      z.object({
        dealId: uintText,
        client: z.string(),
        sizeBytes: uintText,
        state: z.enum(['Accepted', 'Completed', 'Failed']),
        challengesAnswered: z.number().int(),
        incomeWei: uintText,
      }),
    ),
    challengesAnswered: z.number().int(),
    slashedWei: uintText,
  }),
});
export type AccountEarningsBody = z.infer<typeof accountEarningsSchema>;

export const accountRewardsSchema = z.object({
  address,
  /** The RewardsPool contract: a wallet claims by sending `claim()` to it. */
  contract: address,
  currentEpoch: z.number().int(),
  genesis: z.number().int(),
  epochDurationSec: z.number().int(),
  emissionPerEpochWei: uintText,
  claimedWei: uintText,
  claimNowWei: uintText.describe('what a claim sent now pays (the finalization it triggers included)'),
  epochs: z.array(
    z.object({
      epoch: z.number().int(),
      score: uintText,
      totalScore: uintText,
      status: z.enum(['open', 'ended', 'finalized']),
      rewardWei: uintText,
    }),
  ),
});
export type AccountRewardsBody = z.infer<typeof accountRewardsSchema>;

// ---- explorer

export const explorerBlocksQuerySchema = z.strictObject({
  before: blockNumber.optional().describe('list blocks below this number (default: from the head)'),
  limit: z.coerce.number().int().min(1).max(EXPLORER_BLOCKS_MAX).default(20),
});
const blockSummarySchema = z.object({
  number: z.number().int(),
  hash: z.string(),
  time: z.number().int(),
  txCount: z.number().int(),
  gasUsed: uintText,
  aicEvents: z.number().int(),
});
export const explorerBlocksSchema = z.object({ head: z.number().int(), blocks: z.array(blockSummarySchema) });

export const explorerBlockQuerySchema = z.strictObject({ number: blockNumber });
export const explorerBlockSchema = blockSummarySchema.extend({
  parentHash: z.string(),
  transactions: z.array(z.string()),
  events: z.array(chainEventSchema),
});

export const explorerTxQuerySchema = z.strictObject({ hash: txHash });
export const explorerTxSchema = z.object({
  hash: z.string(),
  block: z.number().int(),
  time: z.number().int(),
  from: z.string(),
  to: z.string().nullable(),
  contract: z.string().nullable().describe('the AIC contract called, if any'),
  method: z.string().nullable(),
  args: z.array(z.unknown()),
  status: z.enum(['success', 'reverted']),
  gasUsed: uintText,
  valueWei: uintText,
  events: z.array(chainEventSchema),
});

export const explorerJobQuerySchema = z.strictObject({ jobId: idText });
const jobSummarySchema = z.object({
  jobId: uintText,
  state: z.string(),
  requester: z.string(),
  provider: z.string().nullable(),
  verifier: z.string().nullable(),
  datasetId: uintText,
  modelId: uintText,
  escrowWei: uintText,
  createdBlock: z.number().int(),
  lastBlock: z.number().int(),
});
export const explorerJobSchema = jobSummarySchema.extend({
  settlement: z
    .object({
      providerPaid: uintText,
      protocolFee: uintText,
      datasetFee: uintText,
      modelFee: uintText,
      verifierFee: uintText,
      refund: uintText,
    })
    .nullable(),
  timeline: z.array(chainEventSchema.extend({ state: z.string().describe("the job's state after this event") })),
});

export const explorerJobsQuerySchema = z.strictObject({
  offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const explorerJobsSchema = z.object({ total: z.number().int(), jobs: z.array(jobSummarySchema) });

export const explorerAccountSchema = z.object({
  address,
  aicWei: uintText,
  nativeWei: uintText,
  assets: z.array(z.object({ tokenId: uintText, kind: z.string() })),
  jobs: z.array(z.object({ jobId: uintText, role: z.enum(['requester', 'provider', 'verifier']), state: z.string() })),
  eventCount: z.number().int(),
  /** The newest events naming the account, newest first. */
  events: z.array(chainEventSchema),
});

export const explorerAssetQuerySchema = z.strictObject({ tokenId: idText });
export const explorerAssetSchema = z.object({
  tokenId: uintText,
  kind: z.string(),
  owner: z.string(),
  pricePerUseWei: uintText,
  contentRoot: z.string(),
  manifestCid: z.string(),
  lineage: z.array(z.object({ parentId: uintText, shareBps: z.number().int() })),
  events: z.array(chainEventSchema),
});

export const explorerEpochsSchema = z.object({
  contract: address,
  currentEpoch: z.number().int(),
  genesis: z.number().int(),
  epochDurationSec: z.number().int(),
  emissionPerEpochWei: uintText,
  epochs: z.array(
    z.object({
      epoch: z.number().int(),
      totalScore: uintText,
      emission: uintText,
      finalized: z.boolean(),
      contributors: z.number().int(),
    }),
  ),
});

export const explorerSearchQuerySchema = z.strictObject({ q: z.string().max(200) });
export const explorerSearchSchema = z.object({
  query: z.string(),
  matches: z.array(
    z.object({ kind: z.enum(['block', 'tx', 'job', 'asset', 'account']), id: z.string(), label: z.string() }),
  ),
});
