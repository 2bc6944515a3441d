// Jobs a browser wallet pays and this node coordinates (issue 14): the shapes of POST /v1/jobs/prepare and
// POST /v1/jobs/adopt, and the EIP-712 statement the wallet signs to hand its job to this node. No server code here.
import { z } from 'zod';
import { weiStringSchema } from '../api/schemas.ts';
import { jobQuoteSchema, jobSubmitBodySchema } from './job-schemas.ts';

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'a 0x-prefixed 20-byte address');
const jobIdText = z.string().regex(/^[1-9][0-9]{0,18}$/, 'a positive integer id');

/** The terms of a job as for /v1/jobs/submit, less what only the node's own escrow uses. */
export const jobPrepareBodySchema = jobSubmitBodySchema.omit({ idempotencyKey: true });

/** The statement a job's payer signs (eth_signTypedData_v4) so that this node takes the job on. */
export const JOB_ADOPTION_TYPED_DATA = {
  domain: { name: 'AIC node API', version: '1' },
  types: {
    AdoptJob: [
      { name: 'node', type: 'address' },
      { name: 'jobId', type: 'uint256' },
      { name: 'signedAtMs', type: 'uint64' },
    ],
  },
  primaryType: 'AdoptJob',
} as const;

export const jobPreparedSchema = z.object({
  quote: jobQuoteSchema,
  /** ComputeMarket.createAndFundJob's JobRequest, exactly: the specHash is the hash of the ticket this node keeps. */
  request: z.object({
    datasetId: z.number().int(),
    modelId: z.number().int(),
    providerBudget: weiStringSchema,
    verifierFee: weiStringSchema,
    minHwClass: z.number().int(),
    checkpointCount: z.number().int(),
    deadline: z.number().int().describe('unix seconds'),
    specHash: z.string().regex(/^0x[0-9a-f]{64}$/),
  }),
  /** What the payer approves (AIC to the market) and where it sends the escrow. */
  contracts: z.object({ market: address, token: address }),
  chainId: z.number().int(),
  /** This node's account: the `node` of the adoption statement. */
  node: address,
});

export const jobAdoptBodySchema = z.strictObject({
  jobId: jobIdText,
  signedAtMs: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, 'a 65-byte hex signature'),
});

export const jobAdoptedSchema = z.object({
  jobId: jobIdText,
  requester: address,
  state: z.string(),
  escrowWei: weiStringSchema,
  /** False when this node had already taken the job on. */
  adopted: z.boolean(),
});

export type JobPrepared = z.output<typeof jobPreparedSchema>;
