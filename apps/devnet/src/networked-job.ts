/**
 * The devnet's verified training job across real node processes (issue 7's loop): the data owner publishes MNIST
 * and the MLP as NFTs; the requester's node quotes and escrows a job; the coordinator node assigns it by the chain's
 * seed to a GPU Vessel that passed its hardware challenge; the provider trains in its sandboxed worker and streams
 * checkpoints to the requester; the verifier node drawn after the commitment re-runs sampled segments; the requester's
 * node settles after the challenge window and mints the TrainedAI NFT. This module only publishes the assets, submits
 * through the requester's API and reports — every other step happens in the nodes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AicError, aicToWei, weiToAic } from '@aic/core';
import type { HardwareRequirementWire } from '@aic/gpu-vessel';
import { marketClaimableOf } from '@aic/ledger';
import { createDevClients, type DevDeployment, type EmbeddedChain } from '@aic/ledger/devchain';
import { type Address, getAddress } from 'viem';
import { nodeApi } from './node-api.ts';
import type { DevnetNodeInfo } from './nodes-events.ts';
import { writeTemplateAssets } from './template-assets.ts';

export interface NetworkedJobOptions {
  /** Read here only (balances, credits, lineage): the embedded chain's provider or one over a PoV validator's RPC. */
  chain: Pick<EmbeddedChain, 'provider'>;
  dev: DevDeployment;
  nodes: DevnetNodeInfo[];
  log: (line: string) => void;
  signal: AbortSignal;
  /** The template whose examples and model the data owner publishes (default mnist; fault tests use iris, which
   * trains in milliseconds). */
  template?: 'mnist' | 'iris';
  /** Assets already published by members (then nothing is published here). */
  assets?: { datasetId: string; modelId: string };
  epochs?: number;
  commitEverySteps?: number;
  budgetAic?: string;
  /** Exact hardware needs written into the job's ticket (the coordinator's allocator places by them). */
  hardware?: Omit<HardwareRequirementWire, 'spread'>;
  /** MSMG: workers (providers) the job is placed on as one group (default 1), and the backend (default wasm). */
  workers?: number;
  backend?: 'cpu' | 'wasm';
  /** Called with the job id once escrowed (fault tests kill a provider mid-job from here). */
  onSubmitted?: (jobId: bigint) => void;
  /** Sent as the submit's idempotency key (default: a fresh one per run). */
  idempotencyKey?: string;
  /** Called on each status poll. */
  onStatus?: (status: { state: string; provider: string; step?: number | undefined }) => void;
  timeoutMs?: number;
  /** Bound on each call of a node's API that writes to the chain (publish, quote, submit); default nodeApi's. */
  apiTimeoutMs?: number;
}

export interface NetworkedJobReport {
  jobId: bigint;
  state: string;
  quote: {
    totalWei: bigint;
    providerWei: bigint;
    protocolFeeWei: bigint;
    datasetFeeWei: bigint;
    modelFeeWei: bigint;
    verifierFeeWei: bigint;
    samples: number;
    segments: number;
    pDetect: number;
  };
  /** AIC balance + pull-payment credits, after − before, per address. */
  deltas: Map<Address, bigint>;
  parties: { requester: Address; dataOwner: Address; treasury: Address; verifiers: Address[]; providers: Address[] };
  trainedAssetId?: bigint;
  lineage: { parentId: bigint; shareBps: number }[];
  wallMs: number;
}

/**
 * A node pays each job from a fresh account of its own (issue 15): its requester on chain. Once the job is final the
 * node sweeps what that account holds (a refund, a cheater's slashed stake) back to its own: wait for it (bounded),
 * so the requester's delta is final when balances are read.
 */
async function payerSwept(
  reader: ReturnType<ReturnType<typeof createDevClients>['as']>,
  jobId: bigint,
  requester: Address,
  earned: (who: Address) => Promise<bigint>,
): Promise<void> {
  const payer = getAddress((await reader.market.read.jobOf([jobId])).requester);
  if (payer === requester) return;
  const until = Date.now() + 60_000;
  while ((await earned(payer)) > 0n && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 250));
}

export async function runNetworkedJob(o: NetworkedJobOptions): Promise<NetworkedJobReport> {
  const { as, publicClient } = createDevClients(o.chain, o.dev.deployment);
  const byRole = (role: string) => o.nodes.filter((n) => n.role === role);
  const requesterNode = byRole('requester')[0]!;
  const dataOwner = getAddress(byRole('data-owner')[0]!.address);
  const parties = {
    requester: getAddress(requesterNode.address),
    dataOwner,
    treasury: o.dev.roles.treasury,
    verifiers: o.dev.roles.verifiers,
    providers: byRole('gpu-provider').map((n) => getAddress(n.address)),
  };
  const step = (line: string) => {
    if (o.signal.aborted) throw o.signal.reason;
    o.log(`job: ${line}`);
  };

  // 1. The data owner's node publishes the template's examples as a Dataset NFT (encrypted shards in its content
  //    store, served to the job's workers only) and the template's model as a manifest: the path any member's own
  //    data and model take (issue 12). A caller may bring assets published already (the open-market test).
  const template = o.template ?? 'mnist';
  let datasetId: string;
  let modelId: string;
  if (o.assets) {
    ({ datasetId, modelId } = o.assets);
    step(`dataset #${datasetId} and model #${modelId}, published by their members, will be trained`);
  } else {
    const published = await publishTemplate(byRole('data-owner')[0]!, template, o.apiTimeoutMs);
    ({ datasetId, modelId } = published);
    step(
      `dataset #${datasetId} (${template} examples, ${published.rows} rows, 2 AIC per use; encrypted in the data owner's content store, root ${published.datasetRoot.slice(0, 10)}…) and model #${modelId} (${template} MLP manifest, 1 AIC per use) published from the data owner's node`,
    );
  }

  // 2. The requester's node quotes, then escrows (one permit-signed transaction).
  const api = nodeApi(requesterNode, o.apiTimeoutMs);
  const body = {
    datasetId: String(datasetId),
    modelId: String(modelId),
    epochs: o.epochs ?? 1,
    backend: o.backend ?? ('wasm' as const),
    ...(o.workers && o.workers > 1 ? { workers: o.workers } : {}),
    commitEverySteps: o.commitEverySteps ?? 25,
    budgetAic: o.budgetAic ?? '40',
    idempotencyKey: o.idempotencyKey ?? `devnet-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    verifierFeeAic: '3',
    ...(o.hardware ? { hardware: o.hardware } : {}),
  };
  const q = await api.quoteJob({ body });
  const quote = {
    totalWei: BigInt(q.totalWei),
    providerWei: BigInt(q.providerWei),
    protocolFeeWei: BigInt(q.protocolFeeWei),
    datasetFeeWei: BigInt(q.datasetFeeWei),
    modelFeeWei: BigInt(q.modelFeeWei),
    verifierFeeWei: BigInt(q.verifierFeeWei),
    samples: q.samples,
    segments: q.segments,
    pDetect: q.pDetect,
  };
  step(
    `quote: ${aic(quote.totalWei)} = provider ${aic(quote.providerWei)} + fee ${aic(quote.protocolFeeWei)} + dataset ${aic(quote.datasetFeeWei)} + model ${aic(quote.modelFeeWei)} + verifier ${aic(quote.verifierFeeWei)}; ${q.totalSteps} steps in ${q.segments} segments, verifier re-runs ${q.samples} (P(detect 10 % faked) = ${q.pDetect.toFixed(4)}, overhead ${(q.overhead * 100).toFixed(1)} %)`,
  );
  const everyone = [parties.requester, parties.dataOwner, parties.treasury, ...parties.verifiers, ...parties.providers];
  // A verifier's stake counts as its own: a silence penalty or a slash moves it to someone else's credit.
  const earned = async (who: Address) =>
    (await as(who).balanceOf(who)) +
    (await marketClaimableOf(as(who), who)) + // credits and accrued asset/protocol fees (settlement accrues them)
    (await as(who).market.read.verifierOf([who])).stake;
  const before = await Promise.all(everyone.map(earned));
  const started = Date.now();
  const submitted = await api.submitJob({ body });
  const jobId = BigInt(submitted.jobId);
  o.onSubmitted?.(jobId);
  step(
    `job #${jobId} escrowed ${aic(BigInt(submitted.escrowWei))} by the requester's node; waiting for the coordinator`,
  );

  // 3. Everything else happens in the nodes: follow it through the requester's API.
  let last = '';
  let status = await api.jobStatus({ query: { jobId: String(jobId) } });
  const until = Date.now() + (o.timeoutMs ?? 600_000);
  for (;;) {
    o.onStatus?.(status);
    const tenth = status.totalSteps ? Math.floor((10 * (status.step ?? 0)) / status.totalSteps) : -1;
    const line = `${status.state}${status.state === 'Running' ? ` ${tenth}` : ''}`;
    if (line !== last) {
      last = line;
      step(describe(status));
    }
    if (status.trainedAssetId !== undefined || ['Slashed', 'Refunded', 'Expired'].includes(status.state)) break;
    if (status.resultError !== undefined) {
      throw new AicError(
        'DEVNET_JOB_RESULT_FAILED',
        `job #${jobId} settled but its result failed: ${status.resultError}`,
      );
    }
    if (Date.now() > until) {
      throw new AicError(
        'DEVNET_JOB_TIMEOUT',
        `job #${jobId} still ${status.state} after ${o.timeoutMs ?? 600_000} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
    if (o.signal.aborted) throw o.signal.reason;
    status = await api.jobStatus({ query: { jobId: String(jobId) } });
  }
  const wallMs = Date.now() - started;
  await payerSwept(as(parties.requester), jobId, parties.requester, earned);
  const after = await Promise.all(everyone.map(earned));
  const deltas = new Map<Address, bigint>();
  for (const [i, who] of everyone.entries()) deltas.set(who, (deltas.get(who) ?? 0n) + after[i]! - before[i]!);
  const trainedAssetId = status.trainedAssetId === undefined ? undefined : BigInt(status.trainedAssetId);
  const lineage =
    trainedAssetId === undefined ? [] : [...(await as(parties.requester).registry.read.lineageOf([trainedAssetId]))];
  const names: [string, Address][] = [
    ['requester', parties.requester],
    ...parties.providers.map((p, i): [string, Address] => [`provider ${i + 1}`, p]),
    ['data owner', parties.dataOwner],
    ...parties.verifiers.map((v, i): [string, Address] => [`verifier ${i + 1}`, v]),
    ['treasury', parties.treasury],
  ];
  step(
    `balances: ${names.map(([n, a]) => `${n} ${signed(deltas.get(a) ?? 0n)}`).join(', ')} (block ${await publicClient.getBlockNumber()})`,
  );
  if (trainedAssetId !== undefined) {
    step(
      `TrainedAI #${trainedAssetId} minted, lineage ${lineage.map((l) => `#${l.parentId} ${l.shareBps / 100} %`).join(', ')}; result ${status.resultPath}. Done in ${(wallMs / 1000).toFixed(1)} s.`,
    );
  }
  return {
    jobId,
    state: status.state,
    quote,
    deltas,
    parties,
    ...(trainedAssetId === undefined ? {} : { trainedAssetId }),
    lineage: lineage.map((l) => ({ parentId: l.parentId, shareBps: l.shareBps })),
    wallMs,
  };
}

/** The data owner's node publishes a template's examples and model through its API, like a member's own. */
export async function publishTemplate(
  owner: DevnetNodeInfo,
  template: 'mnist' | 'iris',
  apiTimeoutMs?: number,
): Promise<{ datasetId: string; modelId: string; rows: number; datasetRoot: string }> {
  const dir = await mkdtemp(join(owner.dataDir, 'import-'));
  try {
    const written = await writeTemplateAssets(template, dir, aicToWei('2'));
    const api = nodeApi(owner, apiTimeoutMs);
    const dataset = await api.publishDataset({ body: { dir: written.datasetDir, pricePerUseAic: '2' } });
    const model = await api.publishModel({ body: { manifest: written.modelManifest, pricePerUseAic: '1' } });
    return {
      datasetId: dataset.datasetId,
      modelId: model.modelId,
      rows: written.rows,
      datasetRoot: dataset.datasetRoot,
    };
  } finally {
    // The node keeps what it published in its content store; the plaintext import dir is not needed any more.
    await rm(dir, { recursive: true, force: true });
  }
}

function describe(s: {
  state: string;
  provider: string;
  step?: number | undefined;
  totalSteps?: number | undefined;
  loss?: number | undefined;
  accuracy?: number | undefined;
  verifier: string;
  resumeFrom: number;
}): string {
  const zero = /^0x0{40}$/;
  const who = zero.test(s.provider) ? '' : ` on provider ${s.provider}`;
  if (s.state === 'Running' && s.totalSteps) {
    return `training${who}: step ${s.step}/${s.totalSteps}${s.loss === undefined ? '' : ` loss ${s.loss.toFixed(4)}`}${s.accuracy === undefined ? '' : ` batch accuracy ${s.accuracy.toFixed(3)}`}`;
  }
  if (s.state === 'Verifying' || s.state === 'Settled')
    return `${s.state.toLowerCase()}${zero.test(s.verifier) ? '' : ` (verifier ${s.verifier} passed it)`}`;
  return `${s.state}${who}${s.resumeFrom > 0 ? ` (resumes from checkpoint ${s.resumeFrom})` : ''}`;
}

const aic = (wei: bigint) => `${Number(weiToAic(wei)).toLocaleString('en-US', { maximumFractionDigits: 6 })} AIC`;
const signed = (wei: bigint) => `${wei >= 0n ? '+' : '−'}${aic(wei >= 0n ? wei : -wei)}`;
