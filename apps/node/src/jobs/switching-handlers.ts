/** `GET /v1/provider/switching`: the switching agent's report, or `enabled: false` on a node that runs no miner. */
import { weiToAic } from '@aic/core';
import type { SwitchingAgent } from '@aic/gpu-vessel';
import type { ApiHandlers } from '../api/routes.ts';

export function createSwitchingHandlers(
  agent: () => SwitchingAgent | undefined,
): Pick<ApiHandlers, 'providerSwitching'> {
  return {
    providerSwitching: async () => {
      const a = agent();
      if (!a) return { enabled: false };
      const s = a.status();
      const ai = s.ai ?? { jobsSettled: 0, earnedWei: 0n };
      const { hashes, ...miner } = s.miner;
      return {
        enabled: true,
        switching: {
          mode: s.mode,
          since: new Date(s.sinceMs).toISOString(),
          suspend: s.suspend,
          ownerThresholdPercent: s.ownerThresholdPercent,
          minDwellMs: s.minDwellMs,
          ...(s.ownerUtilizationPercent === undefined ? {} : { ownerUtilizationPercent: s.ownerUtilizationPercent }),
          timeMs: s.timeMs,
          switches: s.switches,
          jobsStarted: s.jobsStarted,
          jobsRunning: s.jobsRunning,
          miner: {
            state: miner.state,
            ...(miner.pid === undefined ? {} : { pid: miner.pid }),
            crashes: miner.crashes,
            suspensions: miner.suspensions,
            ...(miner.lastSuspendMs === undefined ? {} : { lastSuspendMs: miner.lastSuspendMs }),
            ...(miner.lastResumeMs === undefined ? {} : { lastResumeMs: miner.lastResumeMs }),
          },
          earnings: {
            mining: { hashes },
            ai: { jobsSettled: ai.jobsSettled, earnedWei: String(ai.earnedWei), earnedAic: weiToAic(ai.earnedWei) },
          },
        },
      };
    },
  };
}
