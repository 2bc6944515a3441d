import type { Command } from 'commander';
import { Option } from 'commander';
import { parseUint } from '../args.ts';
import { action } from '../context.ts';
import type { CliIo } from '../io.ts';

// `aic plaza buy-uses`: usage rights on AI PLAZA, bought with your node's account (the node signs the permit; its
// budget caps apply). The actions live in plaza-run.ts.

const run = () => import('./plaza-run.ts');

export interface BuyUsesOptions {
  uses: number;
  maxTotal?: string;
  yes?: boolean;
}

export function registerPlazaCommands(program: Command, io: CliIo): void {
  const plaza = program.command('plaza').description('AI PLAZA: buy usage rights on asset NFTs through your node');
  plaza
    .command('buy-uses')
    .description("buy uses of an asset (e.g. a model to call) with your node's account; the income goes to its owner")
    .argument('<id>', 'asset id')
    .addOption(new Option('--uses <n>', 'how many uses').argParser(parseUint).makeOptionMandatory())
    .option('--max-total <aic>', 'refuse if the uses cost more than this (default: the quoted total)')
    .option('--yes', 'pay without asking (needed when stdin is not a terminal)')
    .action(action(io, async (ctx, o: BuyUsesOptions, id: string) => (await run()).buyUses(ctx, o, id)));
}
