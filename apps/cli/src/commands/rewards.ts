import { AicError } from '@aic/core';
import type { Command } from 'commander';
import { action, type CommandContext } from '../context.ts';
import type { CliIo } from '../io.ts';
import { printResult } from '../output.ts';

/**
 * `aic rewards status | claim | rate`: the node account's Proof-of-Value score, claimable AIC, claiming it, and rating
 * what it used (weighed by the fee it paid; the raters' scores use it).
 */
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
  rewards
    .command('rate <kind> <id> <rating>')
    .description(
      'rate what the node used (sent by its accounts that paid for it this epoch): kind asset (token id), gpu or storage (provider address), 0-100',
    )
    .action(action(io, rate));
}

async function rate(ctx: CommandContext, _options: unknown, kind: string, id: string, rating: string): Promise<void> {
  if (kind !== 'asset' && kind !== 'gpu' && kind !== 'storage') {
    throw new AicError('CLI_INVALID_ARGUMENT', `kind must be asset, gpu or storage, not ${kind}`);
  }
  const value = Number(rating);
  if (!Number.isInteger(value) || value < 0 || value > 100) {
    throw new AicError('CLI_INVALID_ARGUMENT', `rating must be an integer 0-100, not ${rating}`);
  }
  const r = await ctx.api().rate({ body: { kind, id, rating: value } });
  printResult(
    ctx.io,
    ctx.global.json,
    r,
    // One line per account of the node that paid for it this epoch (its job payers): each is a vote of its own.
    (x) => x.ratings.map((r) => `rated ${kind} ${id} ${value} as ${r.rater} (tx ${r.transactionHash})`).join('\n'),
  );
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
      `score       ${x.score} (epoch ${x.scoreEpoch}, applied by the raters after it ended)`,
      `claimable   ${x.claimable} AIC`,
    ].join('\n'),
  );
}
