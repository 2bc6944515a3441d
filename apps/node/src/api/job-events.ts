/**
 * GET /v1/jobs/events?jobId=N — a job's live progress as server-sent events (text/event-stream), for the web
 * client's charts (issue 14). Events, each `data` one JSON object:
 *   `status`    the job's status as GET /v1/jobs/status answers it, whenever its state, step or TrainedAI changes;
 *   `progress`  each progress line the provider streamed (as GET /v1/jobs/logs lists them), once, in order;
 *   `placement` while the job waits for a provider: why it is not placed (jobs/placement-diagnosis.ts), on change;
 *   `trained`   the TrainedAI NFT once minted; `end` when nothing will change any more (the stream then closes);
 *   `error`     a read that failed this time (the stream goes on).
 * The node pushes on every update its requester role reports and also looks every few seconds (a mint or a chain
 * event it does not report). A client that goes away only ends its own stream; the node keeps serving.
 */
import { AicError } from '@aic/core';
import type { FastifyInstance } from 'fastify';
import { createJobHandlers } from '../jobs/job-handlers.ts';
import { jobIdQuerySchema } from '../jobs/job-schemas.ts';
import type { JobServices } from '../jobs/job-services.ts';
import { diagnosePlacement, type PlacementInputs } from '../jobs/placement-diagnosis.ts';
import type { Offer } from './schemas.ts';

export const JOB_EVENTS_PATH = '/v1/jobs/events';
/** How often the stream looks again without an update (chain events the requester does not report, the mint). */
const POLL_MS = 2_000;
/** A comment line this often keeps proxies and the browser from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
/** The placement diagnosis reads the chain once per offer: not on every poll. */
const DIAGNOSE_EVERY_MS = 6_000;
const FINAL = new Set(['Slashed', 'Refunded', 'Expired']);
const UNPLACED = new Set(['Created', 'Escrowed', 'Preempted']);

export interface JobEventsSource {
  jobs: () => JobServices | undefined;
  peerAddresses: () => Array<string | undefined>;
  offers: () => Offer[];
}

type JobStatusJson = Awaited<ReturnType<ReturnType<typeof createJobHandlers>['jobStatus']>>;

export function registerJobEvents(app: FastifyInstance, source: JobEventsSource): void {
  app.get(JOB_EVENTS_PATH, { schema: { hide: true } }, async (request, reply) => {
    const parsed = jobIdQuerySchema.safeParse(request.query);
    if (!parsed.success) {
      throw new AicError('API_INVALID_REQUEST', `jobId: ${parsed.error.issues[0]?.message ?? 'invalid'}`, {
        details: { field: 'jobId' },
      });
    }
    const jobs = source.jobs();
    if (!jobs) {
      throw new AicError('LEDGER_UNAVAILABLE', 'no chain configured: start the node with --rpc-url and --deployment');
    }
    const handlers = createJobHandlers(jobs);
    const query = { jobId: parsed.data.jobId };
    // Before the stream opens: an unknown job is a plain 404 in the API's error format.
    const first = await handlers.jobStatus({ query, body: undefined });
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const stream = new JobEventStream(
      (event, data) => {
        if (!raw.writableEnded) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      },
      async () => await handlers.jobStatus({ query, body: undefined }),
      async () => (await handlers.jobLogs({ query, body: undefined })).lines,
      async (status) => {
        const job = await jobs.ledger.market.read.jobOf([BigInt(status.jobId)]);
        const inputs: PlacementInputs = {
          market: jobs.ledger.market as unknown as PlacementInputs['market'],
          peerAddresses: source.peerAddresses,
          offers: source.offers,
        };
        return await diagnosePlacement(inputs, { requester: job.requester, minHwClass: job.minHwClass });
      },
      async () => await jobs.requester.isOwn(BigInt(query.jobId)),
    );
    const unsubscribe = jobs.requester.onUpdate((jobId) => {
      if (String(jobId) === query.jobId) stream.look();
    });
    const poll = setInterval(() => stream.look(), POLL_MS);
    const heartbeat = setInterval(() => {
      if (!raw.writableEnded) raw.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    const close = () => {
      clearInterval(poll);
      clearInterval(heartbeat);
      unsubscribe();
      stream.stop();
      if (!raw.writableEnded) raw.end();
    };
    stream.onEnd = close;
    request.raw.once('close', close);
    raw.once('error', close);
    stream.start(first);
  });
}

/** One client's stream: what was sent already, so each look sends only what changed. Looks never overlap. */
class JobEventStream {
  onEnd: () => void = () => {};
  #sentLines = 0;
  #lastStatus = '';
  #lastPlacement = '';
  #lastDiagnosisAt = 0;
  #running = false;
  #again = false;
  #stopped = false;

  constructor(
    private readonly send: (event: string, data: unknown) => void,
    private readonly status: () => Promise<JobStatusJson>,
    private readonly lines: () => Promise<unknown[]>,
    private readonly diagnose: (status: JobStatusJson) => Promise<unknown>,
    /** Whether this node follows the job: a settled job of another node gets no TrainedAI here. */
    private readonly own: () => Promise<boolean>,
  ) {}

  start(first: JobStatusJson): void {
    void this.#run(first);
  }

  look(): void {
    if (this.#running) this.#again = true;
    else void this.#run();
  }

  stop(): void {
    this.#stopped = true;
  }

  async #run(known?: JobStatusJson): Promise<void> {
    this.#running = true;
    try {
      do {
        this.#again = false;
        await this.#once(known);
        known = undefined;
      } while (this.#again && !this.#stopped);
    } finally {
      this.#running = false;
    }
  }

  async #once(known: JobStatusJson | undefined): Promise<void> {
    if (this.#stopped) return;
    try {
      const status = known ?? (await this.status());
      const lines = await this.lines();
      for (const line of lines.slice(this.#sentLines)) this.send('progress', line);
      this.#sentLines = Math.max(this.#sentLines, lines.length);
      const key = JSON.stringify([
        status.state,
        status.step,
        status.commitments,
        status.trainedAssetId,
        status.verifier,
      ]);
      if (key !== this.#lastStatus) {
        this.#lastStatus = key;
        this.send('status', status);
        if (status.trainedAssetId !== undefined) {
          this.send('trained', { trainedAssetId: status.trainedAssetId, resultCid: status.resultCid });
        }
      }
      if (UNPLACED.has(status.state) && Date.now() - this.#lastDiagnosisAt >= DIAGNOSE_EVERY_MS) {
        this.#lastDiagnosisAt = Date.now();
        const placement = await this.diagnose(status);
        const text = JSON.stringify(placement);
        if (text !== this.#lastPlacement) {
          this.#lastPlacement = text;
          this.send('placement', placement);
        }
      }
      const done =
        FINAL.has(status.state) ||
        (status.state === 'Settled' &&
          (status.trainedAssetId !== undefined || status.resultError !== undefined || !(await this.own())));
      if (done) {
        this.send('end', { state: status.state });
        this.#stopped = true;
        this.onEnd();
      }
    } catch (error) {
      const e = error as { code?: unknown; message?: unknown };
      this.send('error', {
        code: typeof e.code === 'string' ? e.code : 'API_INTERNAL',
        message: typeof e.message === 'string' ? e.message.split('\n')[0] : 'read failed',
      });
    }
  }
}
