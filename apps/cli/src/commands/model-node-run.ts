/** `aic model publish | price | call` through the node at --api (see model.ts): the node validates, mints, pays and runs. */
import { readFile } from 'node:fs/promises';
import { AicError, weiToAic } from '@aic/core';
import type { RouteRequest } from '@aic/node/api';
import type { CommandContext } from '../context.ts';
import { printResult } from '../output.ts';
import type { CallOptions, PublishOptions } from './model.ts';

const AIC_AMOUNT_RE = /^[0-9]{1,12}(\.[0-9]{1,18})?$/;

export async function publish(ctx: CommandContext, options: PublishOptions, path: string): Promise<void> {
  if (!AIC_AMOUNT_RE.test(options.price)) {
    throw new AicError('CLI_INVALID_ARGUMENT', `--price must be an AIC amount like 2 or 0.5, not ${options.price}`);
  }
  // the exact text of the file: its bytes are what the Model NFT's content root commits to
  const manifest = await readText(path);
  const published = await ctx.api().publishModel({ body: { manifest, pricePerUseAic: options.price } });
  printResult(ctx.io, ctx.global.json, published, (p) =>
    [
      `Model NFT #${p.modelId} minted, ${weiToAic(BigInt(p.pricePerUseWei))} AIC per use; served by your node`,
      `manifest     ${p.manifestCid}`,
      `content root ${p.contentRoot}`,
    ].join('\n'),
  );
}

export async function setPrice(ctx: CommandContext, options: PublishOptions, id: string): Promise<void> {
  if (!AIC_AMOUNT_RE.test(options.price)) {
    throw new AicError('CLI_INVALID_ARGUMENT', `--price must be an AIC amount like 2 or 0.5, not ${options.price}`);
  }
  if (!/^[1-9][0-9]{0,9}$/.test(id)) throw new AicError('CLI_INVALID_ARGUMENT', `not an asset id: ${id}`);
  const set = await ctx.api().setModelPrice({ body: { modelId: id, pricePerUseAic: options.price } });
  printResult(
    ctx.io,
    ctx.global.json,
    set,
    (r) => `asset #${r.modelId}: ${weiToAic(BigInt(r.pricePerUseWei))} AIC per use (tx ${r.transactionHash})`,
  );
}

export async function call(ctx: CommandContext, options: CallOptions, id: string): Promise<void> {
  if ((options.input === undefined) === (options.inputs === undefined)) {
    throw new AicError('CLI_INVALID_ARGUMENT', 'give exactly one of --input (one sample) or --inputs (samples)');
  }
  if (!/^[1-9][0-9]{0,9}$/.test(id)) throw new AicError('CLI_INVALID_ARGUMENT', `not an asset id: ${id}`);
  const body: RouteRequest<'callModel'>['body'] =
    options.input !== undefined
      ? { modelId: id, input: await jsonArgument('--input', options.input) }
      : { modelId: id, inputs: await jsonArgument('--inputs', options.inputs ?? '') };
  const result = await ctx.api().callModel({ body });
  printResult(ctx.io, ctx.global.json, result, (r) =>
    [
      ...r.outputs.map((row, i) => {
        const label = r.predictions?.[i];
        return `${label === undefined ? '' : `${label}  `}[${row.map((v) => v.toPrecision(4)).join(', ')}]`;
      }),
      `served by ${r.servedBy}; ${r.usesLeft} uses left`,
    ].join('\n'),
  );
}

/** A JSON argument given inline (starts like JSON) or as a file path holding JSON. */
async function jsonArgument(flag: string, value: string): Promise<unknown[]> {
  const text = /^\s*[[{0-9.-]/.test(value) ? value : await readText(value);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AicError('CLI_INVALID_ARGUMENT', `${flag} is neither JSON nor a file holding JSON`);
  }
  if (!Array.isArray(parsed)) throw new AicError('CLI_INVALID_ARGUMENT', `${flag} must be a JSON array`);
  return parsed;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new AicError('CLI_FILE_UNREADABLE', `cannot read ${path}`, { cause });
  }
}
