/**
 * The devnet's verified training job across real node processes (issue 7's loop): the data owner publishes MNIST
 * and the MLP as NFTs; the requester's node quotes and escrows a job; the coordinator node assigns it by the chain's
 * seed to a GPU Vessel that passed its hardware challenge; the provider trains in its sandboxed worker and streams
 * checkpoints to the requester; the verifier node drawn after the commitment re-runs sampled segments; the requester's
 * node settles after the challenge window and mints the TrainedAI NFT. This module only publishes the assets, submits
 * through the requester's API and reports — every other step happens in the nodes.
 */
import { AicError, aicToWei, weiToAic } from '@aic/core';
import { datasetRootOf, type HardwareRequirementWire, loadDatasetSource } from '@aic/gpu-vessel';
import { AssetKind } from '@aic/ledger';
import { createDevClients, type DevDeployment, type EmbeddedChain } from '@aic/ledger/devchain';
import { TEMPLATES } from '@aic/model-vessel';
import { type Address, getAddress, keccak256, toHex } from 'viem';
import { nodeApi } from './node-api.ts';
import type { DevnetNodeInfo } from './nodes-events.ts';

export interface NetworkedJobOptions {
  chain: EmbeddedChain;
  dev: DevDeployment;
  nodes: DevnetNodeInfo[];
  log: (line: string) => void;
  signal: AbortSignal;
  /** The template trained (default mnist; fault tests use iris, which trains in milliseconds). */
  template?: 'mnist' | 'iris';
  epochs?: number;
  commitEverySteps?: number;
  budgetAic?: string;
  /** Exact hardware needs written into the job's ticket (the coordinator's allocator places by them). */
  hardware?: Omit<HardwareRequirementWire, 'spread'>;
  /** Called with the job id once escrowed (fault tests kill a provider mid-job from here). */
  onSubmitted?: (jobId: bigint) => void;
  /** Called on each status poll. */
  onStatus?: (status: { state: string; provider: string; step?: number | undefined }) => void;
  timeoutMs?: number;
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

  // 1. The data owner publishes the MNIST training set (content root = its digest) and the MLP as NFTs.
  const template = o.template ?? 'mnist';
  const data = await loadDatasetSource(`template:${template}/train`);
  const owner = as(dataOwner);
  const { tokenId: datasetId } = await owner.mintAsset({
    kind: AssetKind.Dataset,
    manifestCid: `template:${template}/train`,
    contentRoot: datasetRootOf(data),
    pricePerUseWei: aicToWei('2'),
  });
  const { tokenId: modelId } = await owner.mintAsset({
    kind: AssetKind.Model,
    manifestCid: `template:${template}`,
    contentRoot: keccak256(toHex(JSON.stringify(TEMPLATES[template]!.manifest))),
    pricePerUseWei: aicToWei('1'),
  });
  step(
    `dataset #${datasetId} (${template}, ${data.count} samples, 2 AIC per use) and model #${modelId} (${template} MLP, 1 AIC per use) published`,
  );

  // 2. The requester's node quotes, then escrows (one permit-signed transaction).
  const api = nodeApi(requesterNode);
  const body = {
    template,
    datasetId: String(datasetId),
    modelId: String(modelId),
    epochs: o.epochs ?? 1,
    backend: 'wasm' as const,
    commitEverySteps: o.commitEverySteps ?? 25,
    budgetAic: o.budgetAic ?? '40',
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
  const earned = async (who: Address) => (await as(who).balanceOf(who)) + (await as(who).market.read.owed([who]));
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
