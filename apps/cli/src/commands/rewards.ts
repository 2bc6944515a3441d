import type { Command } from 'commander';
import { action, type CommandContext } from '../context.ts';
import type { CliIo } from '../io.ts';
import { printResult } from '../output.ts';

/** `aic rewards status | claim`: the node account's Proof-of-Value score, claimable AIC, and claiming it. */
export function registerRewardsCommands(program: Command, io: CliIo): void {
  const rewards = program.command('rewards').description('Proof-of-Value rewards of the node account (RewardsPool)');
  rewards
    .command('status')
    .description("show the node account's current score, its epoch, and the AIC it can claim")
    .action(action(io, showStatus));
  rewards
    .command('claim')
    .description('claim the AIC of finalized epochs to the node account (the node signs the transaction)')
    .action(action(io, claim));
}

async function claim(ctx: CommandContext): Promise<void> {
  const r = await ctx.api().claimRewards();
  printResult(ctx.io, ctx.global.json, r, (x) => `claimed ${x.claimed} AIC to ${x.address} (tx ${x.transactionHash})`);
}

async function showStatus(ctx: CommandContext): Promise<void> {
  const r = await ctx.api().rewards();
  printResult(ctx.io, ctx.global.json, r, (x) =>
    [
      `address     ${x.address}`,
      `epoch       ${x.currentEpoch}`,
      `score       ${x.score} (earned in epoch ${x.scoreEpoch}; converted to AIC when that epoch closes)`,
      `claimable   ${x.claimable} AIC`,
    ].join('\n'),
  );
}
