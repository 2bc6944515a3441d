/**
 * The job roles a node runs on top of its network and chain connection (DESIGN.md §6–7): every node with a chain
 * is a requester (submits and follows its own jobs); `--provider` adds the GPU Vessel agent, `--verifier` the
 * verifier, `--coordinator` the Resource Allocator, preemption and the arbiter (the key must hold those roles).
 */
import { join } from 'node:path';
import { aicToWei, isAicError } from '@aic/core';
import { DEFAULT_PRESET, type VerificationPreset } from '@aic/core/params';
import {
  type AgentContext,
  type AgentLogger,
  CoordinatorAgent,
  challengeProvider,
  createSerialQueue,
  descriptorToOfferHardware,
  detectHardware,
  ProviderAgent,
  RequesterAgent,
  serveCheckpoints,
  serveHardwareChallenges,
  VerifierAgent,
  watchMarket,
  workerTrainingRunner,
} from '@aic/gpu-vessel';
import { connectLedger } from '@aic/ledger';
import type { AicNetwork } from '@aic/network';
import type { Logger } from 'pino';

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
}

export interface JobServicesInit {
  dataDir: string;
  rpcUrl: string;
  deploymentFile: string;
  privateKey: Uint8Array;
  provider?: ProviderOptions | undefined;
  verifier?: { lazy?: boolean; silentOnFirstDraw?: boolean } | undefined;
  coordinator?: { livenessGraceMs?: number; canaryIntervalMs?: number; rechallengeAfterMs?: number } | undefined;
  /** Verification policy of this network (default: the default preset's). */
  verification?: VerificationPreset | undefined;
}

export interface JobServices {
  requester: RequesterAgent;
  coordinator?: CoordinatorAgent;
  stop(): void;
}

/** Verification policy of the default preset: 99 % confidence against a provider faking 10 % of its segments. */
export const VERIFICATION_POLICY: VerificationPreset = DEFAULT_PRESET.verification;

export async function startJobServices(init: JobServicesInit, net: AicNetwork, logger: Logger): Promise<JobServices> {
  const controller = new AbortController();
  const ledger = await connectLedger(init);
  const log: AgentLogger = logger;
  const watcher = watchMarket(ledger, {
    onError: (err) => logger.warn({ err: isAicError(err) ? err.toLine() : String(err) }, 'job event handling failed'),
  });
  const ctx: AgentContext = { net, ledger, send: createSerialQueue(), watcher, log, signal: controller.signal };
  const checkpoints = await serveCheckpoints(net);
  const requester = new RequesterAgent(ctx, join(init.dataDir, 'jobs'));
  await requester.start();
  checkpoints.addSource((jobId, index, sender) => requester.checkpointSource(jobId, index, sender));
  requester.onUpdate((jobId, what) => logger.info({ jobId: String(jobId) }, `job ${jobId}: ${what}`));

  if (init.provider) {
    const p = init.provider;
    await serveHardwareChallenges(net, { backend: 'cpu' });
    const hardware = await detectHardware();
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
          cachedDatasetIds: ['template:mnist/train', 'template:iris/train'],
          ttlSeconds: p.offerTtlSeconds ?? DEFAULT_PRESET.provider.offerTtlSeconds,
        },
        republishMs: p.offerRepublishMs ?? DEFAULT_PRESET.provider.offerRepublishMs,
        ...(p.fakeSegmentFraction ? { fakeSegmentFraction: p.fakeSegmentFraction } : {}),
      },
      workerTrainingRunner({ memoryMiB: p.memoryMiB, timeoutMs: p.timeoutMs }),
    );
    checkpoints.addSource((jobId, index) => agent.checkpointSource(jobId, index));
    await agent.start();
  }
  if (init.verifier) {
    const faults = {
      ...(init.verifier.lazy ? { lazy: true } : {}),
      ...(init.verifier.silentOnFirstDraw ? { silentOnFirstDraw: true } : {}),
    };
    new VerifierAgent(ctx, { ...(init.verification ?? VERIFICATION_POLICY), ...faults }).start();
  }
  let coordinator: CoordinatorAgent | undefined;
  if (init.coordinator) {
    coordinator = new CoordinatorAgent(ctx, {
      ...(init.verification ?? VERIFICATION_POLICY),
      ...(init.coordinator.rechallengeAfterMs === undefined
        ? {}
        : { rechallengeAfterMs: init.coordinator.rechallengeAfterMs }),
      ...(init.coordinator.livenessGraceMs === undefined ? {} : { livenessGraceMs: init.coordinator.livenessGraceMs }),
      ...(init.coordinator.canaryIntervalMs ? { canaryIntervalMs: init.coordinator.canaryIntervalMs, requester } : {}),
      challenge: (peerId, claimedClass) => challengeProvider(net, peerId, claimedClass as 0 | 1 | 2 | 3 | 4),
    });
    coordinator.start();
  }
  return {
    requester,
    ...(coordinator ? { coordinator } : {}),
    stop() {
      controller.abort();
      watcher.stop();
    },
  };
}
