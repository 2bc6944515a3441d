/**
 * The job roles a node runs on top of its network and chain connection (DESIGN.md §6–7): every node with a chain
 * is a requester (submits and follows its own jobs); `--provider` adds the GPU Vessel agent, `--verifier` the
 * verifier, `--coordinator` the Resource Allocator, preemption and the arbiter (the key must hold those roles).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { aicToWei, isAicError } from '@aic/core';
import { DEFAULT_PRESET, type VerificationPreset } from '@aic/core/params';
import {
  type AgentContext,
  type AgentLogger,
  type BlockCursor,
  CachedDatasets,
  type CanaryAssets,
  type CheckpointSource,
  CoordinatorAgent,
  challengeProvider,
  createSerialQueue,
  descriptorToOfferHardware,
  detectHardware,
  GroupMemberService,
  type GroupStatus,
  groupStatusOf,
  HW_CHALLENGE_PROTOCOL_ID,
  type JobAssetPort,
  type LocalityPort,
  MsmgLeadService,
  ProviderAgent,
  RefereeAgent,
  RequesterAgent,
  recordingMaterialized,
  type Startable,
  type SwitchingAgent,
  serveCheckpoints,
  serveHardwareChallenges,
  startAll,
  VerifierAgent,
  watchMarket,
  workerTrainingRunner,
} from '@aic/gpu-vessel';
import { connectLedger } from '@aic/ledger';
import type { AicNetwork } from '@aic/network';
import type { Logger } from 'pino';
import { canaryPayerPortOf } from './canary-payers.ts';
import { createMiningSwitch, type MiningOptions } from './mining-switch.ts';
import { payerPortOf } from './payer-accounts.ts';

export interface ProviderOptions {
  /** Hardware class claimed on chain (proven by the coordinator's challenge). */
  hwClass: number;
  stakeAic: string;
  priceAicPerHour: string;
  memoryMiB: number;
  timeoutMs: number;
  /** Offer lifetime and re-gossip period (default: the default preset's). */
  offerTtlSeconds?: number;
  offerRepublishMs?: number;
  /** TEST-ONLY fault injection ($AIC_FAULT_FAKE_SEGMENTS). */
  fakeSegmentFraction?: number | undefined;
  /** Multi-task switching: the owner's miner, run while no job trains (`--mining-command`). */
  mining?: MiningOptions | undefined;
}

export interface JobServicesInit {
  dataDir: string;
  rpcUrl: string;
  deploymentFile: string;
  privateKey: Uint8Array;
  provider?: ProviderOptions | undefined;
  /** The requester's liveness grace: a provider of its job unreachable this long is preempted (where allowed). */
  requester?: { livenessGraceMs?: number } | undefined;
  verifier?: { lazy?: boolean; silentOnFirstDraw?: boolean; lyingReferee?: 'always' | 'first-round' } | undefined;
  coordinator?:
    | {
        livenessGraceMs?: number;
        canaryIntervalMs?: number;
        rechallengeAfterMs?: number;
        /** The dataset and model canaries train (the node's data role publishes them: canary-assets.ts). */
        canaryAssets?: CanaryAssets;
        /** TEST-ONLY fault injection ($AIC_FAULT_WRONG_ASSIGNMENT): a cheating coordinator. */
        wrongAssignments?: boolean;
      }
    | undefined;
  /** Verification policy of this network (default: the default preset's). */
  verification?: VerificationPreset | undefined;
  /** Where each dataset's holders are, for the coordinator's locality (the node's holdings book). */
  locality?: LocalityPort | undefined;
  /** Datasets and models by NFT id: the node's data role (apps/node/src/data/job-asset-port.ts). */
  assets?: JobAssetPort | undefined;
}

export interface JobServices {
  requester: RequesterAgent;
  /** The roles' chain client (the node's key): addresses and chain id for a browser wallet's escrow. */
  ledger: Awaited<ReturnType<typeof connectLedger>>;
  coordinator?: CoordinatorAgent;
  /** The provider's multi-task switching (`--mining-command`). */
  switching?: SwitchingAgent;
  /** MSMG: a job's group as its lead reports it (cached a few seconds per job: status is polled). */
  groupOf(jobId: bigint, provider: string): Promise<GroupStatus | undefined>;
  /** Stops every role in reverse start order, each waiting (bounded) for its work in flight. */
  stop(): Promise<void>;
}

/** Verification policy of the default preset: 99 % confidence against a provider faking 10 % of its segments. */
export const VERIFICATION_POLICY: VerificationPreset = DEFAULT_PRESET.verification;

/**
 * Builds the roles, then starts them in order (checkpoint server, requester, hardware challenges, provider, verifier,
 * coordinator, and last the market watcher, once every role has subscribed); a role that fails to start stops the
 * ones already started, in reverse order, so nothing is left running.
 */
export async function startJobServices(init: JobServicesInit, net: AicNetwork, logger: Logger): Promise<JobServices> {
  const ledger = await connectLedger(init);
  const log: AgentLogger = logger;
  const jobsDir = join(init.dataDir, 'jobs');
  const watcher = watchMarket(ledger, {
    cursor: fileCursor(join(jobsDir, 'watcher-block.json')),
    onError: (err) => logger.warn({ err: isAicError(err) ? err.toLine() : String(err) }, 'job event handling failed'),
  });
  const ctx: AgentContext = {
    net,
    ledger,
    send: createSerialQueue(),
    watcher,
    log,
    ...(init.assets ? { assets: init.assets } : {}),
  };
  const roles: Startable[] = [];
  let checkpoints: Awaited<ReturnType<typeof serveCheckpoints>> | undefined;
  const sources: CheckpointSource[] = [];
  roles.push({
    start: async () => {
      checkpoints = await serveCheckpoints(net, (err, { jobId, index }) =>
        logger.warn(
          { jobId: String(jobId), index, err: isAicError(err) ? err.toLine() : String(err) },
          'serving a checkpoint failed',
        ),
      );
      for (const source of sources) checkpoints.addSource(source);
    },
    stop: async () => await checkpoints?.stop(),
  });
  // Every job this node escrows is paid by a fresh account of its own (issue 15: canaries look like real jobs).
  const requester = new RequesterAgent(ctx, jobsDir, { ...init.requester, payers: payerPortOf(init, 'job') });
  roles.push(requester);
  sources.push((jobId, index, sender) => requester.checkpointSource(jobId, index, sender));
  requester.onUpdate((jobId, what) => logger.info({ jobId: String(jobId) }, `job ${jobId}: ${what}`));

  let switching: SwitchingAgent | undefined;
  if (init.provider) {
    const p = init.provider;
    // Multi-task switching gates the hardware challenges and the training runner: the miner is suspended while
    // either works (a challenge must prove the GPU without the miner on it); started before both, stopped after.
    const mining = p.mining ? createMiningSwitch(p.mining, ctx, logger) : undefined;
    if (mining) roles.push(mining.role);
    switching = mining?.agent;
    const hardware = await detectHardware();
    // A machine with a GPU's WebGPU adapter proves its class on the device (issue 16); the rest (a software adapter
    // such as SwiftShader included: slower than tfjs cpu there) on the cpu backend.
    const onDevice = hardware.webgpu !== undefined && !hardware.webgpu.fallback;
    const challenges = { backend: onDevice ? ('webgpu' as const) : ('cpu' as const) };
    roles.push({
      start: () => (mining ? mining.serveChallenges(net, challenges) : serveHardwareChallenges(net, challenges)),
      stop: () => net.unhandle(HW_CHALLENGE_PROTOCOL_ID),
    });
    // Locality (issue 12): the datasets this node's worker cache holds, listed in every offer it publishes.
    const cached = await CachedDatasets.open({ file: join(init.dataDir, 'provider', 'cached-datasets.json') });
    if (ctx.assets) ctx.assets = recordingMaterialized(ctx.assets, cached);
    const runner = workerTrainingRunner({ memoryMiB: p.memoryMiB, timeoutMs: p.timeoutMs });
    // MSMG (issue 16): this provider leads the group jobs assigned to it and joins the groups others lead, each
    // rank in the sandboxed worker under the same caps as a single-worker job.
    const limits = { memoryMiB: p.memoryMiB, timeoutMs: p.timeoutMs };
    const group = new MsmgLeadService(ctx, { root: join(init.dataDir, 'provider'), limits });
    roles.push(group, new GroupMemberService(ctx, { root: join(init.dataDir, 'provider', 'member'), limits }));
    const agent = new ProviderAgent(
      ctx,
      {
        root: join(init.dataDir, 'provider'),
        hwClass: p.hwClass,
        stakeWei: aicToWei(p.stakeAic),
        priceWeiPerHour: aicToWei(p.priceAicPerHour),
        offer: {
          offerId: 'gpu-vessel',
          capacity: { gpus: hardware.accelerators.filter((a) => a.kind !== 'cpu').length, concurrentJobs: 1 },
          hardware: descriptorToOfferHardware(hardware),
          // Getters: the agent spreads the offer on every publish, so each one lists the cache as it is then.
          get cachedDatasetIds() {
            return cached.offerFields().cachedDatasetIds;
          },
          get cachedDatasetRoots() {
            return cached.offerFields().cachedDatasetRoots;
          },
          ttlSeconds: p.offerTtlSeconds ?? DEFAULT_PRESET.provider.offerTtlSeconds,
        },
        republishMs: p.offerRepublishMs ?? DEFAULT_PRESET.provider.offerRepublishMs,
        ...(p.fakeSegmentFraction ? { fakeSegmentFraction: p.fakeSegmentFraction } : {}),
      },
      mining ? mining.agent.gateRunner(runner) : runner,
      group,
    );
    sources.push((jobId, index) => agent.checkpointSource(jobId, index));
    roles.push(agent);
  }
  if (init.verifier) {
    const faults = {
      ...(init.verifier.lazy ? { lazy: true } : {}),
      ...(init.verifier.silentOnFirstDraw ? { silentOnFirstDraw: true } : {}),
    };
    const dataDir = join(init.dataDir, 'verifier');
    // A webgpu job's segments are re-run on the first backend of its verification class this machine runs.
    const { backends } = await detectHardware();
    roles.push(new VerifierAgent(ctx, { ...(init.verification ?? VERIFICATION_POLICY), dataDir, backends, ...faults }));
    // A staked verifier is also drawn onto dispute committees (DisputeCourt): it re-runs, votes, keeps cases moving.
    const lying = init.verifier.lyingReferee ? { lying: init.verifier.lyingReferee } : {};
    roles.push(new RefereeAgent(ctx, { ...(init.verification ?? VERIFICATION_POLICY), dataDir, backends, ...lying }));
  }
  let coordinator: CoordinatorAgent | undefined;
  if (init.coordinator) {
    coordinator = new CoordinatorAgent(ctx, {
      ...(init.verification ?? VERIFICATION_POLICY),
      ...(init.coordinator.rechallengeAfterMs === undefined
        ? {}
        : { rechallengeAfterMs: init.coordinator.rechallengeAfterMs }),
      ...(init.coordinator.livenessGraceMs === undefined ? {} : { livenessGraceMs: init.coordinator.livenessGraceMs }),
      ...(init.coordinator.wrongAssignments ? { wrongAssignments: true } : {}),
      ...(init.coordinator.canaryIntervalMs && init.coordinator.canaryAssets
        ? {
            canaryIntervalMs: init.coordinator.canaryIntervalMs,
            canaryAssets: init.coordinator.canaryAssets,
            canaryPayers: canaryPayerPortOf(init),
            requester,
          }
        : {}),
      challenge: (peerId, claimedClass) => challengeProvider(net, peerId, claimedClass as 0 | 1 | 2 | 3 | 4),
      ...(init.locality ? { locality: init.locality } : {}),
    });
    roles.push(coordinator);
  }
  roles.push(watcher);
  const stop = await startAll(roles);
  const groups = new Map<string, { atMs: number; group: Promise<GroupStatus | undefined> }>();
  const groupOf = (jobId: bigint, provider: string) => {
    const key = `${jobId}/${provider.toLowerCase()}`;
    const known = groups.get(key);
    if (known && Date.now() - known.atMs < 5_000) return known.group;
    const group = groupStatusOf(ctx, jobId, provider);
    groups.set(key, { atMs: Date.now(), group });
    if (groups.size > 1_000) groups.delete(groups.keys().next().value as string);
    return group;
  };
  return {
    requester,
    ledger,
    ...(coordinator ? { coordinator } : {}),
    ...(switching ? { switching } : {}),
    groupOf,
    stop,
  };
}

/** The market watcher's last processed block, in a small JSON file written atomically. */
function fileCursor(path: string): BlockCursor {
  return {
    async load() {
      try {
        const { block } = JSON.parse(await readFile(path, 'utf8')) as { block?: unknown };
        return typeof block === 'string' && /^[0-9]+$/.test(block) ? BigInt(block) : undefined;
      } catch {
        return undefined;
      }
    },
    async save(block) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(`${path}.tmp`, JSON.stringify({ block: String(block) }));
      await rename(`${path}.tmp`, path);
    },
  };
}
