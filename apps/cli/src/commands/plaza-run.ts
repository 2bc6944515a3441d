/** The actions of `aic plaza …` (see plaza.ts). */
import { createInterface } from 'node:readline/promises';
import { AicError, weiToAic } from '@aic/core';
import type { CommandContext } from '../context.ts';
import { printResult } from '../output.ts';
import type { BuyUsesOptions } from './plaza.ts';

const AIC_AMOUNT_RE = /^[0-9]{1,12}(\.[0-9]{1,18})?$/;

export async function buyUses(ctx: CommandContext, options: BuyUsesOptions, id: string): Promise<void> {
  if (!/^[1-9][0-9]{0,9}$/.test(id)) throw new AicError('CLI_INVALID_ARGUMENT', `not an asset id: ${id}`);
  if (options.uses < 1) throw new AicError('CLI_INVALID_ARGUMENT', '--uses must be at least 1');
  if (options.maxTotal !== undefined && !AIC_AMOUNT_RE.test(options.maxTotal)) {
    throw new AicError('CLI_INVALID_ARGUMENT', `--max-total must be an AIC amount like 10 or 2.5`);
  }
  const api = ctx.api();
  const quote = await api.quoteUses({ query: { assetId: id, uses: options.uses } });
  const maxTotalAic = options.maxTotal ?? quote.total;
  if (!ctx.global.json) {
    ctx.io.stderr.write(
      `${options.uses} uses of asset #${id}: ${quote.total} AIC (${weiToAic(BigInt(quote.protocolFeeWei))} AIC protocol fee)\n`,
    );
  }
  if (options.yes !== true) await confirm(ctx, `Pay up to ${maxTotalAic} AIC for ${options.uses} uses of #${id}?`);
  const bought = await api.buyUses({ body: { assetId: id, uses: options.uses, maxTotalAic } });
  printResult(
    ctx.io,
    ctx.global.json,
    bought,
    (b) =>
      `bought ${b.uses} uses of asset #${b.assetId} for ${b.paid} AIC; ${b.usesLeft} uses left (tx ${b.transactionHash})`,
  );
}

/** Asks before paying; refuses without a terminal, where nobody could answer. */
async function confirm(ctx: CommandContext, question: string): Promise<void> {
  if (ctx.io.stdin.isTTY !== true) {
    throw new AicError('CLI_CONFIRMATION_REQUIRED', 'buying uses pays AIC: pass --yes to confirm without a terminal');
  }
  const prompt = createInterface({ input: ctx.io.stdin, output: ctx.io.stderr });
  try {
    const answer = await prompt.question(`${question} [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new AicError('CLI_CANCELLED', 'not bought: nothing was paid');
  } finally {
    prompt.close();
  }
}
