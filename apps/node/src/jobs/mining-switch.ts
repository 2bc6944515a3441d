/**
 * Multi-task switching in the node (`--mining-command`, white paper Fig. 11): the GPU Vessel's switching agent with
 * the owner's GPU use from nvidia-smi and the AI earnings this provider's account was paid on chain, as one role of
 * the job services' lifecycle. It starts before the provider agent (whose training runner it gates) and stops after
 * it, so a job never begins against a miner that is not yet under control, and the miner ends with the node.
 */
import {
  type AgentContext,
  createHardwareChallengeHandler,
  followAiEarnings,
  hardwareChallengeProtocol,
  nvidiaSmiUtilization,
  type Startable,
  SwitchingAgent,
  type SwitchingInit,
} from '@aic/gpu-vessel';
import type { AicNetwork } from '@aic/network';
import type { Logger } from 'pino';

/** What `--mining-*` configures (defaults from the preset's `mining`). */
export type MiningOptions = SwitchingInit;

export function createMiningSwitch(
  options: MiningOptions,
  ctx: Pick<AgentContext, 'watcher' | 'ledger'>,
  logger: Logger,
): {
  agent: SwitchingAgent;
  role: Startable;
  /** Serves hardware-class challenges with the miner suspended while each one is worked on. */
  serveChallenges: (net: AicNetwork, init: Parameters<typeof createHardwareChallengeHandler>[0]) => Promise<void>;
} {
  const log = logger.child({ module: 'switching' });
  let earnings: ReturnType<typeof followAiEarnings> | undefined;
  const utilization = nvidiaSmiUtilization({
    onUnavailable: () => log.info('no nvidia-smi: the owner’s own GPU use is not sampled, mining never yields to it'),
  });
  const agent = new SwitchingAgent(options, {
    log,
    utilization,
    aiEarnings: () => earnings?.read() ?? { jobsSettled: 0, earnedWei: 0n },
  });
  const role: Startable = {
    start: async () => {
      // Subscribed before the market watcher starts (it is the last role), so the replay from genesis reaches it.
      earnings = followAiEarnings(ctx.watcher, ctx.ledger.account());
      await agent.start();
      log.info({ command: options.command, suspend: agent.status().suspend }, 'multi-task switching on');
    },
    stop: async () => {
      earnings?.unsubscribe();
      await agent.stop();
    },
  };
  const serveChallenges = async (net: AicNetwork, init: Parameters<typeof createHardwareChallengeHandler>[0]) => {
    const handler = createHardwareChallengeHandler(init);
    await net.handle(hardwareChallengeProtocol, (request, context) =>
      agent.runJob(async () => await handler(request, context), { challenge: true }),
    );
  };
  return { agent, role, serveChallenges };
}
