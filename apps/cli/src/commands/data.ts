/**
 * `aic data import | preview | publish`: the Data Vessel from the command line. Import digitizes raw files locally
 * (raw data never leaves this machine) into a dataset folder; preview builds the verifiable random preview and
 * checks every Merkle proof against the root before showing rows; publish mints the Dataset NFT whose content root
 * is the dataset root.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { AicError, isAicError, weiToAic } from '@aic/core';
import {
  AUDIO_EXTENSIONS,
  createPreview,
  datasetPublication,
  type Hex,
  IMAGE_EXTENSIONS,
  type ImportedDataset,
  importCsv,
  importImages,
  importTextJsonl,
  importWav,
  type PublishOptions,
  previewRowValues,
  readClassFolder,
  readDatasetDir,
  verifyPreview,
  writeDatasetDir,
} from '@aic/data-vessel';
import { Argument, type Command, InvalidArgumentError, Option } from 'commander';
import { parseAicToWei, parseList, parseUint } from '../args.ts';
import { action, type CommandContext } from '../context.ts';
import type { CliIo } from '../io.ts';
import { printResult, table } from '../output.ts';
import { resolvePassword } from '../password.ts';

const KINDS = ['csv', 'images', 'jsonl', 'wav'] as const;
type ImportKind = (typeof KINDS)[number];

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
    .action(action(io, importData));
  data
    .command('preview')
    .description('build the verifiable random preview, verify every proof against the dataset root, show the rows')
    .argument('<dir>', 'a dataset folder written by `aic data import`')
    .requiredOption('--block-hash <0x…>', 'hash of a block after publication (seeds the row choice)', parseHash)
    .option('--root <0x…>', 'the committed dataset root, e.g. the NFT content root (default: the manifest)', parseHash)
    .option('--rows <k>', 'preview rows (at most 64)', parseUint, 8)
    .action(action(io, preview));
  data
    .command('publish')
    .description('mint the Dataset NFT: manifest CID, dataset root as content root, price per use')
    .argument('<dir>', 'a dataset folder written by `aic data import`')
    .requiredOption('--rpc-url <url>', 'chain JSON-RPC URL')
    .requiredOption('--deployment <file>', 'contract deployment file')
    .option('--price <AIC>', 'price per use in AIC (default: the manifest price)', parseAicToWei)
    .option('--account <address>', 'which keystore of <data-dir>/keystore (default: the only one)')
    .option('--keystore <file>', 'a keystore file elsewhere')
    .option('--password-file <file>', 'read the keystore password from this file (else $AIC_PASSWORD or a prompt)')
    .action(action(io, publish));
  withSigner(
    data
      .command('buy')
      .description('buy uses of a dataset (or any asset) through PLAZA, paying with a signed permit')
      .argument('<tokenId>', 'the asset NFT id')
      .option('--uses <n>', 'how many uses', parseUint, 1),
  ).action(action(io, buy));
  withSigner(
    data
      .command('request')
      .description('post a data requirement with an escrowed reward (the white paper\'s "initial requester")')
      .requiredOption('--requirement <file>', 'requirement JSON (schema, minimum rows, …; see the data-vessel README)')
      .requiredOption('--reward <AIC>', 'reward paid to the owner of the accepted dataset', parseAicToWei)
      .option('--days <n>', 'how long offers are accepted', parseUint, 7),
  ).action(action(io, request));
}

/** The chain and signer options every writing `aic data` command takes. */
function withSigner(command: Command): Command {
  return command
    .requiredOption('--rpc-url <url>', 'chain JSON-RPC URL')
    .requiredOption('--deployment <file>', 'contract deployment file')
    .option('--account <address>', 'which keystore of <data-dir>/keystore (default: the only one)')
    .option('--keystore <file>', 'a keystore file elsewhere')
    .option('--password-file <file>', 'read the keystore password from this file (else $AIC_PASSWORD or a prompt)');
}

async function buy(ctx: CommandContext, o: PublishCliOptions & { uses: number }, tokenId: string): Promise<void> {
  const id = parseTokenId(tokenId);
  const ledger = await ledgerClientFor(o.rpcUrl, o.deployment, await unlockSigner(ctx, o));
  const { paidWei } = await ledger.buyUses(id, BigInt(o.uses));
  const buyer = ledger.account();
  const result = {
    tokenId: id.toString(),
    uses: o.uses,
    paidWei: paidWei.toString(),
    buyer,
    hasAccess: await ledger.hasAccess(id, buyer),
  };
  printResult(
    ctx.io,
    ctx.global.json,
    result,
    (r) => `bought ${r.uses} use(s) of #${r.tokenId} for ${weiToAic(paidWei)} AIC (access: ${r.hasAccess})`,
  );
}

async function request(
  ctx: CommandContext,
  o: PublishCliOptions & { requirement: string; reward: string; days: number },
): Promise<void> {
  const { parseDataRequirement, requirementSpecHash } = await import('@aic/data-vessel');
  let json: unknown;
  try {
    json = JSON.parse(await readText(o.requirement));
  } catch (cause) {
    if (isAicError(cause)) throw cause;
    throw new AicError('DATA_REQUIREMENT_INVALID', `${o.requirement} is not JSON`, { cause });
  }
  const requirement = parseDataRequirement(json);
  const ledger = await ledgerClientFor(o.rpcUrl, o.deployment, await unlockSigner(ctx, o));
  const reward = BigInt(o.reward);
  const block = await ledger.publicClient.getBlock();
  const deadline = Number(block.timestamp) + o.days * 86_400;
  const specHash = requirementSpecHash(requirement);
  const permit = await ledger.signPermit(ledger.dataRequests.address, reward);
  const receipt = await ledger.confirm('DataRequests.postRequest', () =>
    ledger.dataRequests.write.postRequest([specHash, BigInt(requirement.minRows), reward, deadline, permit]),
  );
  const { dataRequestsAbi, eventsOf } = await import('@aic/ledger');
  const requestId = eventsOf(receipt, ledger.dataRequests.address, dataRequestsAbi, 'DataRequested')[0]?.args.requestId;
  const result = { requestId: requestId?.toString() ?? null, specHash, rewardWei: reward.toString(), deadline };
  printResult(
    ctx.io,
    ctx.global.json,
    result,
    (r) => `data request #${r.requestId} posted: reward ${weiToAic(reward)} AIC escrowed, spec ${r.specHash}`,
  );
}

function parseTokenId(value: string): bigint {
  if (!/^[1-9]\d*$/.test(value)) throw new AicError('CLI_INVALID_ARGUMENT', `not an asset id: ${value}`);
  return BigInt(value);
}

function dataKindArgument(): Argument {
  return new Argument('<kind>', `what the input is: ${KINDS.join(' | ')}`).choices(KINDS);
}

interface ImportOptions {
  out: string;
  name?: string;
  description?: string;
  license: string;
  price: string;
  label?: string;
  categorical?: string[];
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

/** Drops undefined values so optional importer options stay absent (exactOptionalPropertyTypes). */
function defined<T extends Record<string, unknown>>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new AicError('CLI_FILE_NOT_FOUND', `cannot read ${path}`, { cause });
  }
}

async function digitize(kind: ImportKind, input: string, o: ImportOptions): Promise<ImportedDataset> {
  const common = {
    name: o.name ?? basename(input).replace(/\.[^.]+$/, ''),
    license: o.license,
    pricePerUseWei: BigInt(o.price),
    ...defined({
      description: o.description,
      testFraction: o.testFraction,
      shuffleSeed: o.shuffleSeed,
      rowsPerShard: o.rowsPerShard,
    }),
  } satisfies PublishOptions & { name: string };
  switch (kind) {
    case 'csv': {
      if (o.label === undefined) throw new AicError('CLI_INVALID_ARGUMENT', 'csv import needs --label <column>');
      const extra = defined({ categoricalColumns: o.categorical, task: o.task });
      return importCsv(await readText(input), { ...common, labelColumn: o.label, ...extra });
    }
    case 'jsonl':
      return importTextJsonl(await readText(input), { ...common, ...defined({ maxTokens: o.maxTokens }) }, o.pairs);
    case 'images': {
      const files = await readClassFolder(input, IMAGE_EXTENSIONS);
      const size = { width: o.width, height: o.height, channels: Number(o.channels) as 1 | 3 };
      return importImages(files, { ...common, ...size });
    }
    case 'wav': {
      const files = await readClassFolder(input, AUDIO_EXTENSIONS);
      return importWav(files, { ...common, ...defined({ sampleRateHz: o.sampleRate, melBins: o.melBins }) });
    }
  }
}

async function importData(ctx: CommandContext, o: ImportOptions, kind: ImportKind, input: string): Promise<void> {
  const dataset = await digitize(kind, input, o);
  await writeDatasetDir(o.out, dataset);
  const { manifest } = dataset;
  const summary = {
    name: manifest.name,
    sourceKind: manifest.sourceKind,
    rows: manifest.rows,
    shards: manifest.shards.length,
    classes: manifest.classes ?? [],
    datasetRoot: manifest.datasetRoot,
    manifestCid: datasetPublication(manifest).manifestCid,
    out: o.out,
  };
  printResult(ctx.io, ctx.global.json, summary, (s) =>
    [
      `imported ${s.name} (${s.sourceKind}): ${s.rows} rows in ${s.shards} shards → ${s.out}`,
      `dataset root ${s.datasetRoot}`,
      `manifest     ${s.manifestCid}`,
    ].join('\n'),
  );
}

async function preview(ctx: CommandContext, o: { blockHash: Hex; root?: Hex; rows: number }, dir: string) {
  const dataset = await readDatasetDir(dir);
  const { manifest } = dataset;
  const root = o.root ?? (manifest.datasetRoot as Hex);
  const built = createPreview(dataset, o.blockHash, o.rows);
  const verified = verifyPreview(built, root, o.blockHash, o.rows);
  const rows = verified.map((row) => ({ row: row.row, ...previewRowValues(row, manifest) }));
  const result = { datasetRoot: root, blockHash: o.blockHash, verified: true, rows };
  const fmt = (values: number[]) => {
    const shown = values.slice(0, 8).map((v) => (Number.isInteger(v) ? String(v) : v.toFixed(3)));
    return `${shown.join(' ')}${values.length > 8 ? ` … (${values.length})` : ''}`;
  };
  const className = (label: number | undefined) => manifest.classes?.[label ?? -1] ?? String(label);
  printResult(ctx.io, ctx.global.json, result, (r) =>
    [
      `${r.rows.length} rows verified against ${r.datasetRoot}`,
      table(
        ['ROW', 'LABEL', 'FEATURES'],
        r.rows.map((x) => [String(x.row), className(x.labels[0]), fmt(x.features)]),
      ),
    ].join('\n'),
  );
}

interface PublishCliOptions {
  rpcUrl: string;
  deployment: string;
  price?: string;
  account?: string;
  keystore?: string;
  passwordFile?: string;
}

async function publish(ctx: CommandContext, o: PublishCliOptions, dir: string): Promise<void> {
  const { manifest } = await readDatasetDir(dir);
  const publication = datasetPublication(manifest);
  const pricePerUseWei = o.price === undefined ? publication.pricePerUseWei : BigInt(o.price);
  const privateKey = await unlockSigner(ctx, o);
  const ledger = await ledgerClientFor(o.rpcUrl, o.deployment, privateKey);
  const { AssetKind } = await import('@aic/ledger');
  const { tokenId } = await ledger
    .mintAsset({ kind: AssetKind.Dataset, ...publication, pricePerUseWei })
    .catch((cause: unknown) => {
      if (isAicError(cause)) throw cause;
      throw new AicError('LEDGER_RPC_UNAVAILABLE', `chain RPC at ${o.rpcUrl} did not answer`, { cause });
    });
  const result = {
    tokenId: tokenId.toString(),
    owner: ledger.walletClient?.account?.address ?? null,
    manifestCid: publication.manifestCid,
    contentRoot: publication.contentRoot,
    pricePerUseWei: pricePerUseWei.toString(),
  };
  printResult(ctx.io, ctx.global.json, result, (r) =>
    [`minted Dataset NFT #${r.tokenId}`, `content root ${r.contentRoot}`, `manifest     ${r.manifestCid}`].join('\n'),
  );
}

async function unlockSigner(ctx: CommandContext, o: PublishCliOptions): Promise<Uint8Array> {
  const { findKeystore, keystoreDir, unlockKeystore } = await import('@aic/node/identity');
  const path = o.keystore ?? (await findKeystore(keystoreDir(ctx.global.dataDir), o.account)).path;
  const password = await resolvePassword(ctx.io, { passwordFile: o.passwordFile, purpose: 'the keystore' });
  return (await unlockKeystore(path, password)).privateKey;
}

async function ledgerClientFor(rpcUrl: string, deploymentFile: string, privateKey: Uint8Array) {
  const { createLedgerClient, parseDeployment } = await import('@aic/ledger');
  const { createPublicClient, createWalletClient, defineChain, http, toHex } = await import('viem');
  const { privateKeyToAccount } = await import('viem/accounts');
  let json: unknown;
  try {
    json = JSON.parse(await readFile(deploymentFile, 'utf8'));
  } catch (cause) {
    throw new AicError('LEDGER_DEPLOYMENT_UNAVAILABLE', `cannot read deployment file ${deploymentFile}`, { cause });
  }
  const deployment = parseDeployment(json);
  const transport = http(rpcUrl, { retryCount: 0, timeout: 10_000 });
  const chain = defineChain({
    id: deployment.chainId,
    name: `chain-${deployment.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 50 });
  const walletClient = createWalletClient({ chain, transport, account: privateKeyToAccount(toHex(privateKey)) });
  return createLedgerClient({ publicClient, walletClient, deployment });
}
