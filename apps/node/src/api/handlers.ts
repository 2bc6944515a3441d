import { randomBytes } from 'node:crypto';
import { AicError, isAicError, weiToAic } from '@aic/core';
import type { Logger } from 'pino';
import { createDataHandlers } from '../data/data-handlers.ts';
import type { DataService } from '../data/data-service.ts';
import { createDatasetPreviews } from '../data/preview.ts';
import { createExplorerHandlers } from '../explorer/explorer-handlers.ts';
import { createAdoptHandlers } from '../jobs/adopt-handlers.ts';
import { createJobHandlers } from '../jobs/job-handlers.ts';
import type { JobServices } from '../jobs/job-services.ts';
import { createSwitchingHandlers } from '../jobs/switching-handlers.ts';
import type { NodeLedger } from '../ledger-port.ts';
import type { NodeMetrics } from '../metrics.ts';
import type { ModelHandlers } from '../models/model-handlers.ts';
import { unavailableModelHandlers } from '../models/model-service.ts';
import type { NodeNetwork } from '../network-port.ts';
import type { ItemBook } from '../services/item-book.ts';
import type { PeerBook } from '../services/peer-book.ts';
import { type StorageHandlers, unavailableStorageHandlers } from '../storage/storage-handlers.ts';
import type { PlazaDetails } from '../web/plaza-details.ts';
import type { SpendingGuard } from './budget.ts';
import { toTypedError } from './errors.ts';
import type { ApiHandlers } from './routes.ts';
import type { JobAnnouncement, Offer } from './schemas.ts';

export interface ApiHandlerComponents {
  network: NodeNetwork;
  offers: ItemBook<Offer>;
  jobs: ItemBook<JobAnnouncement>;
  peers: PeerBook;
  metrics: NodeMetrics;
  logger: Logger;
  startedAtMs: number;
  now: () => number;
  version: string;
  role: string | undefined;
  /** Absent when the node was started without --rpc-url and --deployment. */
  ledger: NodeLedger | undefined;
  /** Absent without a chain: the job endpoints then answer 503. */
  jobServices?: JobServices | undefined;
  /** The owner's budget caps on spending writes (jobs/submit); absent = no caps (tests). */
  spending?: SpendingGuard | undefined;
  /** The node's data role (datasets published and held here); absent = publishing answers 503. */
  dataService?: DataService | undefined;
  /** Storage Vessel endpoints (storage/storage-service.ts); absent = they answer 503. */
  storageHandlers?: StorageHandlers | undefined;
  /** Models as assets and paid inference (models/model-service.ts); absent = those endpoints answer 503. */
  modelHandlers?: ModelHandlers | undefined;
  /** PLAZA cards' model I/O and TrainedAI evaluation from what this node holds (web/plaza-details.ts). */
  plazaDetails?: PlazaDetails | undefined;
}

/** The API's behaviour, one function per route; input already validated by the server. */
export function createApiHandlers(c: ApiHandlerComponents): ApiHandlers {
  const previews = createDatasetPreviews(c.dataService, c.ledger);
  return {
    status: async () => ({
      peerId: c.network.peerId,
      address: c.network.address,
      multiaddrs: c.network.multiaddrs(),
      uptimeSeconds: (c.now() - c.startedAtMs) / 1000,
      startedAt: new Date(c.startedAtMs).toISOString(),
      connectedPeers: c.network.getPeers().filter((p) => p.connected).length,
      ...(c.network.connectivity === undefined ? {} : { connectivity: c.network.connectivity() }),
      version: c.version,
      ...(c.role === undefined ? {} : { role: c.role }),
    }),
    balance: async () => {
      if (c.ledger === undefined) {
        throw new AicError('LEDGER_UNAVAILABLE', 'no chain configured: start the node with --rpc-url and --deployment');
      }
      const { chainId, aicWei, nativeWei } = await c.ledger.balances(c.network.address);
      return {
        address: c.network.address,
        chainId,
        aicWei: aicWei.toString(),
        aic: weiToAic(aicWei),
        nativeWei: nativeWei.toString(),
      };
    },
    rewards: async () => {
      if (c.ledger === undefined) {
        throw new AicError('LEDGER_UNAVAILABLE', 'no chain configured: start the node with --rpc-url and --deployment');
      }
      const r = await c.ledger.rewards(c.network.address);
      return {
        address: c.network.address,
        currentEpoch: r.currentEpoch,
        score: r.score.toString(),
        scoreEpoch: r.scoreEpoch,
        claimableWei: r.claimableWei.toString(),
        claimable: weiToAic(r.claimableWei),
        emissionPerEpochWei: r.emissionPerEpochWei.toString(),
      };
    },
    claimRewards: async () => {
      if (c.ledger === undefined) {
        throw new AicError('LEDGER_UNAVAILABLE', 'no chain configured: start the node with --rpc-url and --deployment');
      }
      const claimed = await c.ledger.claimRewards().catch((error: unknown) => {
        if (isAicError(error) && error.details.errorName === 'NothingToClaim') {
          throw new AicError(
            'REWARDS_CONFLICT',
            'nothing to claim yet: an epoch pays once it has ended and the raters applied its scores',
          );
        }
        throw error;
      });
      c.logger.info({ amountWei: claimed.amountWei.toString() }, 'rewards claimed');
      return {
        address: c.network.address,
        claimedWei: claimed.amountWei.toString(),
        claimed: weiToAic(claimed.amountWei),
        transactionHash: claimed.transactionHash,
      };
    },
    rate: async ({ body }) => {
      if (c.ledger?.rate === undefined) {
        throw new AicError('LEDGER_UNAVAILABLE', 'no chain configured: start the node with --rpc-url and --deployment');
      }
      const kind = body.kind === 'asset' ? 0 : body.kind === 'gpu' ? 1 : 2;
      const isAddress = body.id.startsWith('0x');
      if ((kind === 0) === isAddress) {
        throw new AicError(
          'API_INVALID_REQUEST',
          `a ${body.kind} rating needs ${kind === 0 ? 'a token id' : 'an address'}`,
        );
      }
      const { ratings } = await c.ledger.rate(kind, BigInt(body.id), body.rating);
      const [first] = ratings;
      if (!first) throw new AicError('LEDGER_UNAVAILABLE', 'the rating was not sent');
      c.logger.info({ kind: body.kind, id: body.id, rating: body.rating, raters: ratings.length }, 'rated');
      return { rater: first.rater, transactionHash: first.transactionHash, ratings };
    },
    peers: async () => ({ peers: c.peers.describe(c.network) }),
    listOffers: async ({ query }) => ({ offers: c.offers.list(query.source) }),
    publishOffer: async ({ body }) => {
      const offer = await c.network.publishOffer({ ...body, offerId: body.offerId ?? randomBytes(8).toString('hex') });
      await c.offers.addOwn(offer);
      c.metrics.offersPublishedTotal.inc();
      c.logger.info({ offerId: offer.offerId, expiresAtMs: offer.expiresAtMs }, 'offer published');
      return offer;
    },
    announceJob: async ({ body }) => {
      const job = await c.network.announceJob(body);
      await c.jobs.addOwn(job);
      c.metrics.jobAnnouncementsPublishedTotal.inc();
      c.logger.info({ jobId: job.jobId, task: job.task }, 'job announced');
      return job;
    },
    listJobAnnouncements: async () => ({ announcements: c.jobs.list('all') }),
    ...guardedJobHandlers(createJobHandlers(c.jobServices), c.spending),
    // the wallet pays these jobs, not the node's account: no budget cap applies
    ...createAdoptHandlers(c.jobServices),
    ...createSwitchingHandlers(() => c.jobServices?.switching),
    ...createDataHandlers(c.dataService),
    ...(c.storageHandlers ?? unavailableStorageHandlers()),
    ...(c.modelHandlers ?? unavailableModelHandlers()),
    ...createExplorerHandlers(c.ledger?.explorer),
    plazaAssets: async ({ query }) => {
      if (c.ledger?.plazaAssets === undefined) {
        throw new AicError('LEDGER_UNAVAILABLE', 'no chain configured: start the node with --rpc-url and --deployment');
      }
      const page = await c.ledger.plazaAssets(query);
      return c.plazaDetails === undefined ? page : await c.plazaDetails.enrich(page);
    },
    datasetPreview: async ({ query }) => previews.preview(query.datasetId),
    plazaContracts: async () => {
      if (c.ledger?.plazaContracts === undefined) {
        throw new AicError('LEDGER_UNAVAILABLE', 'no chain configured: start the node with --rpc-url and --deployment');
      }
      return c.ledger.plazaContracts();
    },
    plazaProviders: async ({ query }) => {
      if (c.ledger?.plazaProviders === undefined) {
        throw new AicError('LEDGER_UNAVAILABLE', 'no chain configured: start the node with --rpc-url and --deployment');
      }
      return { providers: await c.ledger.plazaProviders(query.addresses as `0x${string}`[]) };
    },
  };
}

/** Failures that show the escrow did not happen (the chain refused the call, or it was never sent). */
const NOTHING_ESCROWED = new Set([
  'LEDGER_REVERTED',
  'JOB_ASSET_KIND_MISMATCH',
  'JOB_REQUEST_INVALID',
  'API_INVALID_REQUEST',
]);

type JobHandlers = Pick<ApiHandlers, 'quoteJob' | 'submitJob' | 'jobStatus' | 'jobLogs'>;

/**
 * The job endpoints with the API's own rules on top: a submit is quoted first and refused over the owner's budget
 * caps before anything is escrowed; the logs of a job the chain does not know are a 404 like its status.
 */
function guardedJobHandlers(jobs: JobHandlers, spending: SpendingGuard | undefined): JobHandlers {
  return {
    ...jobs,
    submitJob: async (input) => {
      if (spending === undefined) return jobs.submitJob(input);
      const quote = await jobs.quoteJob({ body: input.body, query: undefined });
      const reservation = await spending.reserve(BigInt(quote.totalWei), 'this job');
      try {
        const submitted = await jobs.submitJob(input);
        await reservation.settle(BigInt(submitted.escrowWei));
        return submitted;
      } catch (error) {
        // A reverted escrow spent nothing; after any other failure the escrow may have happened, so it still counts.
        const code = toTypedError(error)?.code;
        if (code !== undefined && NOTHING_ESCROWED.has(code)) await reservation.release();
        throw error;
      }
    },
    jobLogs: async (input) => {
      await jobs.jobStatus({ body: undefined, query: input.query }); // JOB_NOT_FOUND (404) for a job the chain does not know
      return jobs.jobLogs(input);
    },
  };
}
