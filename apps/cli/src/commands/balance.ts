import type { Command } from 'commander';
import { action, type CommandContext } from '../context.ts';
import type { CliIo } from '../io.ts';
import { printResult } from '../output.ts';

/** `aic balance`. */
export function registerBalanceCommand(program: Command, io: CliIo): void {
  program
    .command('balance')
    .description("show the node account's AIC and gas balances on its chain")
    .action(action(io, showBalance));
}

async function showBalance(ctx: CommandContext): Promise<void> {
  const balance = await ctx.api().balance();
  printResult(ctx.io, ctx.global.json, balance, (b) =>
    [`address   ${b.address}`, `chain     ${b.chainId}`, `AIC       ${b.aic}`, `gas (wei) ${b.nativeWei}`].join('\n'),
  );
}
