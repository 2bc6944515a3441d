/** The actions of `aic data …` (see data.ts), loaded only when one runs: they import the Data Vessel. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { AicError, isAicError, weiToAic } from '@aic/core';
import {
  AUDIO_EXTENSIONS,
  type ColumnDecision,
  createPreview,
  datasetPublication,
  type Hex,
  IMAGE_EXTENSIONS,
  type ImportedDataset,
  importCsvWithReport,
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
import type { CommandContext } from '../context.ts';
import { printResult, table } from '../output.ts';
import { resolvePassword } from '../password.ts';
import type {
  BuyOptions,
  ImportKind,
  ImportOptions,
  PreviewOptions,
  PublishCliOptions,
  RequestOptions,
} from './data.ts';

export async function buy(ctx: CommandContext, o: BuyOptions, tokenId: string): Promise<void> {
  const id = parseTokenId(tokenId);
  const chain = chainOf(ctx, o);
  const ledger = await ledgerClientFor(chain, await unlockSigner(ctx, o));
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

export async function request(ctx: CommandContext, o: RequestOptions): Promise<void> {
  const { parseDataRequirement, requirementSpecHash } = await import('@aic/data-vessel');
  let json: unknown;
  try {
    json = JSON.parse(await readText(o.requirement));
  } catch (cause) {
    if (isAicError(cause)) throw cause;
    throw new AicError('DATA_REQUIREMENT_INVALID', `${o.requirement} is not JSON`, { cause });
  }
  const requirement = parseDataRequirement(json);
  const chain = chainOf(ctx, o);
  const ledger = await ledgerClientFor(chain, await unlockSigner(ctx, o));
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

interface Digitized {
  dataset: ImportedDataset;
  /** csv only: how each column was typed. */
  columns?: readonly ColumnDecision[];
}

async function digitize(kind: ImportKind, input: string, o: ImportOptions): Promise<Digitized> {
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
      const extra = defined({
        categoricalColumns: o.categorical,
        columnTypes: o.columnType,
        allowNonFinite: o.allowNonFinite,
        task: o.task,
      });
      return importCsvWithReport(await readText(input), { ...common, labelColumn: o.label, ...extra });
    }
    case 'jsonl': {
      const options = { ...common, ...defined({ maxTokens: o.maxTokens }) };
      return { dataset: importTextJsonl(await readText(input), options, o.pairs) };
    }
    case 'images': {
      const files = await readClassFolder(input, IMAGE_EXTENSIONS);
      const size = { width: o.width, height: o.height, channels: Number(o.channels) as 1 | 3 };
      return { dataset: importImages(files, { ...common, ...size }) };
    }
    case 'wav': {
      const files = await readClassFolder(input, AUDIO_EXTENSIONS);
      const options = { ...common, ...defined({ sampleRateHz: o.sampleRate, melBins: o.melBins }) };
      return { dataset: importWav(files, options) };
    }
  }
}

export async function importData(
  ctx: CommandContext,
  o: ImportOptions,
  kind: ImportKind,
  input: string,
): Promise<void> {
  const { dataset, columns } = await digitize(kind, input, o);
  await writeDatasetDir(o.out, dataset);
  const { manifest } = dataset;
  const summary = {
    name: manifest.name,
    sourceKind: manifest.sourceKind,
    task: manifest.task,
    rows: manifest.rows,
    shards: manifest.shards.length,
    classes: manifest.classes ?? [],
    ...(columns === undefined ? {} : { columns }),
    datasetRoot: manifest.datasetRoot,
    manifestCid: datasetPublication(manifest).manifestCid,
    out: o.out,
  };
  printResult(ctx.io, ctx.global.json, summary, (s) =>
    [
      `imported ${s.name} (${s.sourceKind}, ${s.task}): ${s.rows} rows in ${s.shards} shards → ${s.out}`,
      ...(columns === undefined ? [] : [describeColumns(columns)]),
      `dataset root ${s.datasetRoot}`,
      `manifest     ${s.manifestCid}`,
    ].join('\n'),
  );
}

/** The column report of a CSV import: each column's type and why (inferred from the values, or declared). */
export function describeColumns(columns: readonly ColumnDecision[]): string {
  return table(
    ['COLUMN', 'ROLE', 'TYPE', 'WHY'],
    columns.map((c) => [c.name, c.role, c.type, `${c.decidedBy}: ${c.reason}`]),
  );
}

export async function preview(ctx: CommandContext, o: PreviewOptions, dir: string) {
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

async function unlockSigner(ctx: CommandContext, o: PublishCliOptions): Promise<Uint8Array> {
  const { findKeystore, keystoreDir, unlockKeystore } = await import('@aic/node/identity');
  const path = o.keystore ?? (await findKeystore(keystoreDir(ctx.global.dataDir), o.account)).path;
  const password = await resolvePassword(ctx.io, { passwordFile: o.passwordFile, purpose: 'the keystore' });
  return (await unlockKeystore(path, password)).privateKey;
}

/** The chain a writing command uses: --rpc-url / --deployment, else $AIC_RPC_URL / $AIC_DEPLOYMENT. */
export function chainOf(ctx: CommandContext, o: PublishCliOptions): { rpcUrl: string; deploymentFile: string } {
  const rpcUrl = o.rpcUrl ?? ctx.io.env.AIC_RPC_URL;
  const deploymentFile = o.deployment ?? ctx.io.env.AIC_DEPLOYMENT;
  if (rpcUrl === undefined || rpcUrl === '') {
    throw new AicError('CLI_INVALID_ARGUMENT', 'needs the chain: pass --rpc-url <url> or set $AIC_RPC_URL');
  }
  if (deploymentFile === undefined || deploymentFile === '') {
    throw new AicError('CLI_INVALID_ARGUMENT', 'needs the contracts: pass --deployment <file> or set $AIC_DEPLOYMENT');
  }
  return { rpcUrl, deploymentFile };
}

async function ledgerClientFor(
  { rpcUrl, deploymentFile }: { rpcUrl: string; deploymentFile: string },
  privateKey: Uint8Array,
) {
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
