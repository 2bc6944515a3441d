/**
 * `aic data import | preview | publish | list | fetch | buy | request`: the Data Vessel from the command line. Import
 * digitizes raw files locally (raw data never leaves this machine) into a dataset folder; preview builds the
 * verifiable random preview and checks every Merkle proof against the root before showing rows. Publish goes through
 * the member's node (--api, its token): the node encrypts the shards with a fresh key, stores and serves them, and
 * mints the Dataset NFT (content root = the dataset root) from its account; list and fetch ask the node too.
 */
import { Argument, type Command, InvalidArgumentError, Option } from 'commander';
import { parseAicToWei, parseList, parseUint } from '../args.ts';
import { action } from '../context.ts';
import type { CliIo } from '../io.ts';
import { registerDataReplicateCommand } from './data-replicate.ts';

// The actions (the Data Vessel, the ledger client) load only when one runs.
const run = () => import('./data-run.ts');
// publish, list and fetch go through the node at --api (its account mints; it stores, serves and fetches).
const viaNode = () => import('./data-node-run.ts');

export type Hex = `0x${string}`;
const KINDS = ['csv', 'images', 'jsonl', 'wav'] as const;
export type ImportKind = (typeof KINDS)[number];
export type ColumnType = 'numeric' | 'categorical';

const parseFraction = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n >= 1) throw new InvalidArgumentError('expected a number in [0, 1)');
  return n;
};
const parseHash = (value: string): Hex => {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw new InvalidArgumentError('expected a 32-byte hex hash (0x…)');
  return value.toLowerCase() as Hex;
};

export function registerDataCommands(program: Command, io: CliIo): void {
  const data = program.command('data').description('datasets: digitize, preview with proofs, publish (Data Vessel)');
  data
    .command('import')
    .description('digitize raw files into a dataset folder (manifest.json + safetensors shards)')
    .addArgument(dataKindArgument())
    .argument('<input>', 'a CSV or JSONL file, or a folder with one sub-folder per class (images, wav)')
    .requiredOption('--out <dir>', 'write the dataset folder here')
    .option('--name <name>', 'dataset name (default: the input file name)')
    .option('--description <text>', 'dataset description')
    .option('--license <id>', 'license of the data', 'UNLICENSED')
    .option('--price <AIC>', 'price per use in AIC', parseAicToWei, '0')
    .option('--label <column>', 'csv: the column to predict')
    .option('--categorical <columns>', 'csv: comma-separated columns to one-hot encode', parseList)
    .option(
      '--column-type <name=type>',
      'csv: declare a column numeric or categorical instead of inferring it, repeatable',
      parseColumnType,
    )
    .option('--allow-non-finite', 'csv: keep NaN / Infinity / overflowing numbers in numeric columns')
    .addOption(new Option('--task <task>', 'csv: task (default: inferred)').choices(['classification', 'regression']))
    .option('--width <px>', 'images: width', parseUint, 28)
    .option('--height <px>', 'images: height', parseUint, 28)
    .addOption(new Option('--channels <n>', 'images: 1 (gray) or 3 (RGB)').choices(['1', '3']).default('1'))
    .option('--pairs', 'jsonl: rows are {"text","text_pair","label"}')
    .option('--max-tokens <n>', 'jsonl: token ids per row', parseUint)
    .option('--sample-rate <hz>', 'wav: resample to this rate', parseUint)
    .option('--mel-bins <n>', 'wav: mel filters', parseUint)
    .option('--test-fraction <f>', 'share of rows in the test split', parseFraction)
    .option('--shuffle-seed <n>', 'seed of the row shuffle', parseUint)
    .option('--rows-per-shard <n>', 'rows per shard (default: about 8 MiB per shard)', parseUint)
    .action(
      action(io, async (ctx, o: ImportOptions, kind: ImportKind, input: string) =>
        (await run()).importData(ctx, o, kind, input),
      ),
    );
  data
    .command('preview')
    .description('build the verifiable random preview, verify every proof against the dataset root, show the rows')
    .argument('<dir>', 'a dataset folder written by `aic data import`')
    .requiredOption('--block-hash <0x…>', 'hash of a block after publication (seeds the row choice)', parseHash)
    .option('--root <0x…>', 'the committed dataset root, e.g. the NFT content root (default: the manifest)', parseHash)
    .option('--rows <k>', 'preview rows (at most 64)', parseUint, 8)
    .action(action(io, async (ctx, o: PreviewOptions, dir: string) => (await run()).preview(ctx, o, dir)));
  data
    .command('publish')
    .description(
      'publish a dataset folder through your node: encrypted and served by it, the Dataset NFT minted by its account',
    )
    .argument('<dir>', 'a dataset folder written by `aic data import`, on the node machine')
    .option('--price <AIC>', 'price per use in AIC (default: the manifest price)', parseAicAmount)
    .addOption(
      new Option('--license <license>', 'job-only: data only inside paid jobs; download: usage-right holders too')
        .choices(['job-only', 'download'])
        .default('job-only'),
    )
    .action(action(io, async (ctx, o: PublishOptions, dir: string) => (await viaNode()).publish(ctx, o, dir)));
  data
    .command('list')
    .description('the datasets your node published or holds')
    .action(action(io, async (ctx) => (await viaNode()).list(ctx)));
  data
    .command('fetch')
    .description('download a dataset you hold a usage right to (its licence must allow download) through your node')
    .argument('<datasetId>', 'the Dataset NFT id')
    .requiredOption('--out <dir>', 'where the node writes the plaintext shards (on the node machine)')
    .action(action(io, async (ctx, o: FetchOptions, id: string) => (await viaNode()).fetch(ctx, o, id)));
  withSigner(
    data
      .command('buy')
      .description('buy uses of a dataset (or any asset) through PLAZA, paying with a signed permit')
      .argument('<tokenId>', 'the asset NFT id')
      .option('--uses <n>', 'how many uses', parseUint, 1),
  ).action(action(io, async (ctx, o: BuyOptions, tokenId: string) => (await run()).buy(ctx, o, tokenId)));
  withSigner(
    data
      .command('request')
      .description('post a data requirement with an escrowed reward (the white paper\'s "initial requester")')
      .requiredOption('--requirement <file>', 'requirement JSON (schema, minimum rows, …; see the data-vessel README)')
      .requiredOption('--reward <AIC>', 'reward paid to the owner of the accepted dataset', parseAicToWei)
      .option('--days <n>', 'how long offers are accepted', parseUint, 7),
  ).action(action(io, async (ctx, o: RequestOptions) => (await run()).request(ctx, o)));
  registerDataReplicateCommand(data, io);
}

/** The chain and signer options every writing `aic data` command takes. */
function withSigner(command: Command): Command {
  return command
    .option('--rpc-url <url>', 'chain JSON-RPC URL (default $AIC_RPC_URL)')
    .option('--deployment <file>', 'contract deployment file (default $AIC_DEPLOYMENT)')
    .option('--account <address>', 'which keystore of <data-dir>/keystore (default: the only one)')
    .option('--keystore <file>', 'a keystore file elsewhere')
    .option('--password-file <file>', 'read the keystore password from this file (else $AIC_PASSWORD or a prompt)');
}

function dataKindArgument(): Argument {
  return new Argument('<kind>', `what the input is: ${KINDS.join(' | ')}`).choices(KINDS);
}

export interface ImportOptions {
  out: string;
  name?: string;
  description?: string;
  license: string;
  price: string;
  label?: string;
  categorical?: string[];
  columnType?: Record<string, ColumnType>;
  allowNonFinite?: boolean;
  task?: 'classification' | 'regression';
  width: number;
  height: number;
  channels: '1' | '3';
  pairs?: boolean;
  maxTokens?: number;
  sampleRate?: number;
  melBins?: number;
  testFraction?: number;
  shuffleSeed?: number;
  rowsPerShard?: number;
}

/** Commander parser of `--column-type name=numeric|categorical`; repeated flags accumulate. */
export function parseColumnType(value: string, previous: Record<string, ColumnType> = {}): Record<string, ColumnType> {
  const match = /^(.+)=(numeric|categorical)$/.exec(value);
  if (match === null) throw new InvalidArgumentError('expected <column>=numeric or <column>=categorical');
  const [, name, type] = match as unknown as [string, string, ColumnType];
  return { ...previous, [name]: type };
}

export interface PreviewOptions {
  blockHash: Hex;
  root?: Hex;
  rows: number;
}

export interface PublishOptions {
  /** AIC, e.g. '2.5' (else the manifest's price). */
  price?: string;
  license: 'job-only' | 'download';
}

export interface FetchOptions {
  out: string;
}

const parseAicAmount = (value: string): string => {
  if (!/^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$/.test(value)) {
    throw new InvalidArgumentError('expected a decimal AIC amount, e.g. 1.5');
  }
  return value;
};

/** The chain and keystore options of the commands that sign locally (buy, request). */
export interface PublishCliOptions {
  /** Else $AIC_RPC_URL (see chainOf in data-run.ts). */
  rpcUrl?: string;
  /** Else $AIC_DEPLOYMENT. */
  deployment?: string;
  price?: string;
  account?: string;
  keystore?: string;
  passwordFile?: string;
}

export type BuyOptions = PublishCliOptions & { uses: number };
export type RequestOptions = PublishCliOptions & { requirement: string; reward: string; days: number };
