/**
 * `aic data replicate <datasetId> --replicas N`: has the node place N replicas of a dataset it holds on Storage Vessel
 * nodes (a StorageMarket deal each, paid from the node's account), so the dataset stays available while the node is
 * offline; the node then challenges them and repairs a lost one from the others.
 */
import { AicError } from '@aic/core';
import { type Command, InvalidArgumentError } from 'commander';
import { parseUint } from '../args.ts';
import { action, type CommandContext } from '../context.ts';
import type { CliIo } from '../io.ts';
import { printResult, table } from '../output.ts';

export interface ReplicateOptions {
  replicas: number;
  price?: string;
  epochs?: number;
}

const parseAic = (value: string): string => {
  if (!/^[0-9]{1,30}(\.[0-9]{1,18})?$/.test(value)) throw new InvalidArgumentError('expected an AIC amount, e.g. 0.5');
  return value;
};

/** Adds `replicate` under `aic data`. */
export function registerDataReplicateCommand(data: Command, io: CliIo): void {
  data
    .command('replicate')
    .description('place replicas of a dataset this node holds on storage nodes (StorageMarket deals)')
    .argument('<datasetId>', 'the Dataset NFT id')
    .option('--replicas <n>', 'how many storage nodes should hold it (live deals count)', parseUint, 1)
    .option(
      '--price <AIC>',
      'price per storage epoch for the whole replica (default: each storage node’s quote)',
      parseAic,
    )
    .option('--epochs <n>', 'deal length in storage epochs (default: the preset’s)', parseUint)
    .action(action(io, replicate));
}

async function replicate(ctx: CommandContext, o: ReplicateOptions, datasetId: string): Promise<void> {
  if (!/^[0-9]{1,78}$/.test(datasetId))
    throw new AicError('CLI_INVALID_ARGUMENT', 'the dataset id is a decimal NFT id');
  const result = await ctx.api().replicateDataset({
    body: {
      datasetId,
      replicas: o.replicas,
      ...(o.price === undefined ? {} : { pricePerEpochAic: o.price }),
      ...(o.epochs === undefined ? {} : { epochs: o.epochs }),
    },
  });
  printResult(ctx.io, ctx.global.json, result, (r) => {
    const rows = [
      ...r.placed.map((p) => ['new', p.dealId, p.provider, p.peerId]),
      ...r.existing.map((p) => ['live', p.dealId, p.provider, p.peerId]),
    ];
    return [
      `dataset ${r.datasetId}: ${r.placed.length + r.existing.length} replica(s) of ${r.sizeBytes} bytes (root ${r.segmentRoot})`,
      table(['deal', 'id', 'provider', 'peer'], rows),
    ].join('\n');
  });
}
