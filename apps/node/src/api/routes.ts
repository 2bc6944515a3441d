import type { z } from 'zod';
import { datasetPreviewSchema } from '../data/preview-schemas.ts';
import { walletJobRoutes } from '../jobs/adopt-routes.ts';
import {
  jobIdQuerySchema,
  jobLogsSchema,
  jobQuoteSchema,
  jobStatusSchema,
  jobSubmitBodySchema,
  jobSubmittedSchema,
} from '../jobs/job-schemas.ts';
import { switchingRoutes } from '../jobs/switching-routes.ts';
import { explorerRoutes } from './explorer-routes.ts';
import {
  plazaAssetsQuerySchema,
  plazaAssetsSchema,
  plazaContractsSchema,
  plazaProvidersQuerySchema,
  plazaProvidersSchema,
} from './plaza-schemas.ts';
import {
  balanceSchema,
  datasetFetchBodySchema,
  datasetFetchedSchema,
  datasetIdQuerySchema,
  datasetListSchema,
  datasetManifestSchema,
  datasetPublishBodySchema,
  datasetPublishedSchema,
  jobAnnouncementInputSchema,
  jobAnnouncementListSchema,
  jobAnnouncementSchema,
  modelCallBodySchema,
  modelCallResultSchema,
  modelPriceBodySchema,
  modelPriceSchema,
  modelPublishBodySchema,
  modelPublishedSchema,
  offerInputSchema,
  offerListQuerySchema,
  offerListSchema,
  offerSchema,
  peersSchema,
  plazaUsesBodySchema,
  plazaUsesBoughtSchema,
  plazaUsesQuoteQuerySchema,
  plazaUsesQuoteSchema,
  ratingBodySchema,
  ratingResultSchema,
  replicateBodySchema,
  replicatedSchema,
  rewardsClaimSchema,
  rewardsSchema,
  statusSchema,
  storageStatusSchema,
} from './schemas.ts';

/** One HTTP endpoint: method, path, schemas. The server registers these; the client calls them. */
export interface RouteDef {
  method: 'GET' | 'POST';
  path: string;
  summary: string;
  successStatus: 200 | 201;
  body?: z.ZodType;
  query?: z.ZodType;
  response: z.ZodType;
  /** 'open': a POST that needs no API token (Host and Origin are still checked): it spends nothing of the node's
   * account (a read with a body, such as a quote), or its handler checks a wallet's signature in the body. */
  access?: 'open';
  /** The client's default bound on waiting for the answer, for a route that answers only after chain work. */
  clientTimeoutMs?: number;
}

/** Every endpoint of the node API (v1). */
export const apiRoutes = {
  status: {
    method: 'GET',
    path: '/v1/status',
    summary: 'Identity, listen addresses and uptime of this node',
    successStatus: 200,
    response: statusSchema,
  },
  balance: {
    method: 'GET',
    path: '/v1/balance',
    summary: "This node's AIC and gas balances on the configured chain (503 when no chain is configured)",
    successStatus: 200,
    response: balanceSchema,
  },
  rewards: {
    method: 'GET',
    path: '/v1/rewards',
    summary:
      "This node's Proof-of-Value score and claimable rewards in the RewardsPool (503 when no chain is configured)",
    successStatus: 200,
    response: rewardsSchema,
  },
  claimRewards: {
    method: 'POST',
    path: '/v1/rewards/claim',
    summary: "Claim this node account's rewards from finalized epochs (the node signs; 409 when nothing is claimable)",
    successStatus: 200,
    response: rewardsClaimSchema,
  },
  rate: {
    method: 'POST',
    path: '/v1/ratings',
    summary:
      'Rate something this node used (RewardsPool.rate, sent by each of its accounts that paid for it this epoch: weighed by that fee)',
    successStatus: 200,
    body: ratingBodySchema,
    response: ratingResultSchema,
  },
  peers: {
    method: 'GET',
    path: '/v1/peers',
    summary: 'Known peers with estimated RTT and score',
    successStatus: 200,
    response: peersSchema,
  },
  listOffers: {
    method: 'GET',
    path: '/v1/offers',
    summary: 'Offers received from peers and/or published by this node (unexpired)',
    successStatus: 200,
    query: offerListQuerySchema,
    response: offerListSchema,
  },
  publishOffer: {
    method: 'POST',
    path: '/v1/offers',
    summary: 'Publish a provider offer to the network',
    successStatus: 201,
    body: offerInputSchema,
    response: offerSchema,
  },
  announceJob: {
    method: 'POST',
    path: '/v1/jobs/announce',
    summary: 'Announce a job to providers',
    successStatus: 201,
    body: jobAnnouncementInputSchema,
    response: jobAnnouncementSchema,
  },
  listJobAnnouncements: {
    method: 'GET',
    path: '/v1/jobs/announcements',
    summary: 'Job announcements received from peers and made by this node (unexpired)',
    successStatus: 200,
    response: jobAnnouncementListSchema,
  },
  quoteJob: {
    method: 'POST',
    path: '/v1/jobs/quote',
    summary: 'What a training job would cost and how it would be verified, before paying',
    successStatus: 200,
    access: 'open',
    body: jobSubmitBodySchema,
    response: jobQuoteSchema,
  },
  submitJob: {
    method: 'POST',
    path: '/v1/jobs/submit',
    summary: 'Escrow a training job on chain (the node signs); the allocator assigns it',
    successStatus: 201,
    // Answers once escrowed: after the fresh payer's funding lead (3–23 blocks, issue 15) and the confirmation.
    clientTimeoutMs: 180_000,
    body: jobSubmitBodySchema,
    response: jobSubmittedSchema,
  },
  jobStatus: {
    method: 'GET',
    path: '/v1/jobs/status',
    summary: "A job's on-chain state, live progress and, once settled, its TrainedAI NFT and result file",
    successStatus: 200,
    query: jobIdQuerySchema,
    response: jobStatusSchema,
  },
  jobLogs: {
    method: 'GET',
    path: '/v1/jobs/logs',
    summary: "A job's progress lines as the provider streamed them",
    successStatus: 200,
    query: jobIdQuerySchema,
    response: jobLogsSchema,
  },
  // jobs a browser wallet pays and this node coordinates (jobs/adopt-routes.ts)
  ...walletJobRoutes,
  // the GPU Vessel's multi-task switching (jobs/switching-routes.ts)
  ...switchingRoutes,
  // models as assets and paid inference (apps/node/src/models)
  publishModel: {
    method: 'POST',
    path: '/v1/models/publish',
    summary:
      'Validate a model manifest, store its exact bytes, mint the Model NFT (contentRoot = keccak256 of the bytes) and serve it',
    successStatus: 201,
    body: modelPublishBodySchema,
    response: modelPublishedSchema,
  },
  setModelPrice: {
    method: 'POST',
    path: '/v1/models/price',
    summary: "Set the PLAZA price per use of a Model or TrainedAI NFT the node's account owns (a TrainedAI mints at 0)",
    successStatus: 200,
    body: modelPriceBodySchema,
    response: modelPriceSchema,
  },
  callModel: {
    method: 'POST',
    path: '/v1/models/call',
    summary: "Run a Model or TrainedAI NFT on a node that holds it, paid by one of this node account's PLAZA uses",
    successStatus: 200,
    body: modelCallBodySchema,
    response: modelCallResultSchema,
  },
  quoteUses: {
    method: 'GET',
    path: '/v1/plaza/uses/quote',
    summary: 'What buying uses of an asset on PLAZA costs now, and the protocol fee in it',
    successStatus: 200,
    query: plazaUsesQuoteQuerySchema,
    response: plazaUsesQuoteSchema,
  },
  buyUses: {
    method: 'POST',
    path: '/v1/plaza/uses',
    summary: "Buy uses of an asset on PLAZA with the node's account (permit-signed; the API budget caps apply)",
    successStatus: 201,
    body: plazaUsesBodySchema,
    response: plazaUsesBoughtSchema,
  },
  // Read routes of the web client (apps/web).
  plazaAssets: {
    method: 'GET',
    path: '/v1/plaza/assets',
    summary: "AssetRegistry's datasets, models and Trained AIs, newest first: owner, price per use, lineage",
    successStatus: 200,
    query: plazaAssetsQuerySchema,
    response: plazaAssetsSchema,
  },
  // Storage Vessel: replicas of this node's datasets on storage nodes, and the --storage role (apps/node/src/storage)
  replicateDataset: {
    method: 'POST',
    path: '/v1/datasets/replicate',
    summary:
      'Place replicas of a dataset this node holds on storage nodes (a StorageMarket deal each; the node pays the escrow)',
    successStatus: 201,
    body: replicateBodySchema,
    response: replicatedSchema,
  },
  storageStatus: {
    method: 'GET',
    path: '/v1/storage',
    summary: "This node's storage deals and replicas (--storage) and where its own datasets are replicated",
    successStatus: 200,
    response: storageStatusSchema,
  },
  // datasets published from this node and served to jobs (apps/node/src/data)
  publishDataset: {
    method: 'POST',
    path: '/v1/datasets/publish',
    summary:
      "Publish a dataset dir on this node's machine: encrypt its shards, store them, mint the Dataset NFT, serve it",
    successStatus: 201,
    body: datasetPublishBodySchema,
    response: datasetPublishedSchema,
  },
  listDatasets: {
    method: 'GET',
    path: '/v1/datasets',
    summary: 'The datasets this node published or holds, with their NFT ids, roots and licences',
    successStatus: 200,
    response: datasetListSchema,
  },
  datasetManifest: {
    method: 'GET',
    path: '/v1/datasets/manifest',
    summary: "A Dataset NFT's public manifest, fetched from its holders and checked against the NFT's content root",
    successStatus: 200,
    query: datasetIdQuerySchema,
    response: datasetManifestSchema,
  },
  fetchDataset: {
    method: 'POST',
    path: '/v1/datasets/fetch',
    summary:
      "Download a dataset with this node account's usage right (its licence must allow download) into a dir here",
    successStatus: 200,
    body: datasetFetchBodySchema,
    response: datasetFetchedSchema,
  },
  // the web client's dashboards and Explorer: read-only chain views (api/explorer-routes.ts)
  ...explorerRoutes,
  // PLAZA in the browser (apps/web): the verifiable preview and where a wallet pays
  datasetPreview: {
    method: 'GET',
    path: '/v1/datasets/preview',
    summary:
      "A dataset's verifiable random preview (rows drawn by the block after its mint, Merkle proofs), from its owner's node",
    successStatus: 200,
    query: datasetIdQuerySchema,
    response: datasetPreviewSchema,
  },
  plazaContracts: {
    method: 'GET',
    path: '/v1/plaza/contracts',
    summary: 'The chain id and the token, Plaza and AssetRegistry addresses a browser wallet pays PLAZA through',
    successStatus: 200,
    response: plazaContractsSchema,
  },
  plazaProviders: {
    method: 'GET',
    path: '/v1/plaza/providers',
    summary: "Offering providers' standing on chain: registered, proven hardware class, stake, active jobs",
    successStatus: 200,
    query: plazaProvidersQuerySchema,
    response: plazaProvidersSchema,
  },
} as const satisfies Record<string, RouteDef>;

export type ApiRoutes = typeof apiRoutes;
export type RouteName = keyof ApiRoutes;

type Field<R, K extends string, Side extends 'in' | 'out'> =
  R extends Record<K, infer S extends z.ZodType> ? (Side extends 'in' ? z.input<S> : z.output<S>) : undefined;

/** What the client sends for a route: body and/or query (schema input types). */
export type RouteRequest<N extends RouteName> = {
  body: Field<ApiRoutes[N], 'body', 'in'>;
  query: Field<ApiRoutes[N], 'query', 'in'>;
};
/** What a server handler receives: parsed body and query (schema output types, defaults applied). */
export type RouteInput<N extends RouteName> = {
  body: Field<ApiRoutes[N], 'body', 'out'>;
  query: Field<ApiRoutes[N], 'query', 'out'>;
};
export type RouteResponse<N extends RouteName> = z.output<ApiRoutes[N]['response']>;

/** The server side of the API: one function per route. */
export type ApiHandlers = { [N in RouteName]: (input: RouteInput<N>) => Promise<RouteResponse<N>> };
