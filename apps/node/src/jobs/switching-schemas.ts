// The multi-task switching report (`GET /v1/provider/switching`, `aic provider status`, the web's GPU Vessel
// section), shared by server, OpenAPI and client.
import { z } from 'zod';
import { weiStringSchema } from '../api/schemas.ts';

const ms = z.number().nonnegative();
const modes = ['ai', 'mining', 'owner', 'idle'] as const;

export const switchingStatusSchema = z.object({
  /** False when the node runs no miner (no --provider or no --mining-command): the rest is then absent. */
  enabled: z.boolean(),
  switching: z
    .object({
      mode: z.enum(modes).describe('ai: a job trains; mining; owner: the owner’s own GPU use; idle: the miner is down'),
      since: z.string().describe('when the current mode began (ISO time)'),
      suspend: z.enum(['signal', 'stop']),
      ownerThresholdPercent: z.number(),
      minDwellMs: ms,
      ownerUtilizationPercent: z.number().optional().describe('the last sample, absent where none can be taken'),
      timeMs: z
        .object({ ai: ms, mining: ms, owner: ms, idle: ms })
        .describe('time in each mode since the node started'),
      switches: z.number().int(),
      jobsStarted: z.number().int().describe('training runs this node started since it started'),
      jobsRunning: z.number().int(),
      miner: z.object({
        state: z.enum(['running', 'suspended', 'stopped', 'restarting']),
        pid: z.number().int().optional(),
        crashes: z.number().int(),
        suspensions: z.number().int(),
        lastSuspendMs: ms.optional(),
        lastResumeMs: ms.optional(),
      }),
      earnings: z.object({
        mining: z.object({ hashes: z.number().int().describe('hashes the miner reported since the node started') }),
        ai: z
          .object({
            jobsSettled: z.number().int(),
            earnedWei: weiStringSchema,
            earnedAic: z.string(),
          })
          .describe("what this provider's account was paid for settled (and preempted) jobs, from the chain"),
      }),
    })
    .optional(),
});
export type SwitchingStatusBody = z.infer<typeof switchingStatusSchema>;
