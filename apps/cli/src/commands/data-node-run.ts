/** `aic data publish | list | fetch` through the node at --api (see data.ts): the node encrypts, mints and serves. */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AicError, weiToAic } from '@aic/core';
import type { CommandContext } from '../context.ts';
import { printResult, table } from '../output.ts';
import type { FetchOptions, PublishOptions } from './data.ts';

/** The manifest's own price, in AIC, when --price is not given (the node re-reads and checks the whole folder). */
async function manifestPriceAic(dir: string): Promise<string> {
  let manifest: { pricePerUseWei?: unknown };
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  } catch (cause) {
    throw new AicError('CLI_FILE_NOT_FOUND', `no readable manifest.json in ${dir}`, { cause });
  }
  if (typeof manifest.pricePerUseWei !== 'string' || !/^[0-9]{1,40}$/.test(manifest.pricePerUseWei)) {
    throw new AicError('CLI_INVALID_ARGUMENT', `${dir}/manifest.json has no price: pass --price <AIC>`);
  }
  return weiToAic(BigInt(manifest.pricePerUseWei));
}

export async function publish(ctx: CommandContext, o: PublishOptions, dir: string): Promise<void> {
  // The node reads the folder itself: an absolute path, as the node's working directory is not ours.
  const path = resolve(dir);
  const pricePerUseAic = o.price ?? (await manifestPriceAic(path));
  const published = await ctx.api().publishDataset({ body: { dir: path, pricePerUseAic, license: o.license } });
  printResult(ctx.io, ctx.global.json, published, (p) =>
    [
      `Dataset NFT #${p.datasetId} minted, ${pricePerUseAic} AIC per use (${o.license}); served by your node`,
      `dataset root ${p.datasetRoot}`,
      `manifest     ${p.manifestCid}`,
      `stored       ${p.chunks} encrypted chunks, ${p.bytes} bytes`,
    ].join('\n'),
  );
}

export async function list(ctx: CommandContext): Promise<void> {
  const listed = await ctx.api().listDatasets();
  printResult(ctx.io, ctx.global.json, listed, (l) =>
    l.datasets.length === 0
      ? 'no datasets on this node'
      : table(
          ['ID', 'NAME', 'ROWS', 'BYTES', 'LICENSE', 'ROLE', 'ROOT'],
          l.datasets.map((d) => [
            d.datasetId,
            d.name,
            String(d.rows),
            String(d.bytes),
            d.license,
            d.role,
            d.datasetRoot,
          ]),
        ),
  );
}

export async function fetch(ctx: CommandContext, o: FetchOptions, id: string): Promise<void> {
  if (!/^[1-9][0-9]{0,9}$/.test(id)) throw new AicError('CLI_INVALID_ARGUMENT', `not an asset id: ${id}`);
  const fetched = await ctx.api().fetchDataset({ body: { datasetId: id, dir: resolve(o.out) } });
  printResult(ctx.io, ctx.global.json, fetched, (f) =>
    [
      `dataset #${f.datasetId}: ${f.files.length} shards in ${resolve(o.out)} (${f.trainRows} training rows)`,
      f.fromCache
        ? 'all from the verified cache, 0 bytes moved'
        : `${f.bytesFetched} bytes from ${f.holders.join(', ')}`,
    ].join('\n'),
  );
}
