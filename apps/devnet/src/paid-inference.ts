/**
 * The end of the devnet's demo (issue 12, done-when 6): the TrainedAI is a product. Its owner (the requester's
 * node) prices it on PLAZA, another member's node buys one use and calls it: the call runs on the node that holds
 * the weights, which checks the right on chain and consumes the use; the income went to the owner (and the treasury
 * its fee) when the use was bought.
 */
import { AicError, weiToAic } from '@aic/core';
import { TEMPLATES } from '@aic/model-vessel';
import { nodeApi } from './node-api.ts';
import type { DevnetNodeInfo } from './nodes-events.ts';

export interface PaidInferenceInit {
  trainedAssetId: bigint;
  owner: DevnetNodeInfo;
  caller: DevnetNodeInfo;
  /** The template whose held-out examples provide the input (the caller's own data in real use). */
  template: 'mnist' | 'iris';
  pricePerUseAic?: string;
  log: (line: string) => void;
}

export interface PaidInferenceReport {
  paidWei: bigint;
  protocolFeeWei: bigint;
  prediction?: string | undefined;
  expected?: string | undefined;
  servedBy: string;
  usesLeft: string;
}

const aic = (wei: bigint) => `${weiToAic(wei)} AIC`;

export async function runPaidInference(o: PaidInferenceInit): Promise<PaidInferenceReport> {
  const modelId = String(o.trainedAssetId);
  await nodeApi(o.owner).setModelPrice({ body: { modelId, pricePerUseAic: o.pricePerUseAic ?? '0.5' } });
  const buyer = nodeApi(o.caller);
  const quote = await buyer.quoteUses({ query: { assetId: modelId, uses: 1 } });
  const bought = await buyer.buyUses({ body: { assetId: modelId, uses: 1, maxTotalAic: quote.total } });
  const template = TEMPLATES[o.template];
  if (!template) throw new AicError('DEVNET_JOB_RESULT_FAILED', `no template ${o.template}`);
  const { test } = await template.loadData();
  const width = test.features.length / test.count;
  const input = Array.from(test.features.subarray(0, width));
  const labels = template.manifest.outputs[0]?.labels;
  const expectedIndex = Math.round(test.labels[0] ?? -1);
  const expected = labels?.[expectedIndex] ?? String(expectedIndex);
  const result = await buyer.callModel({ body: { modelId, input } });
  const prediction = result.predictions?.[0];
  o.log(
    `inference: ${o.caller.role} node bought 1 use of TrainedAI #${modelId} for ${aic(BigInt(bought.paidWei))} (treasury fee ${aic(BigInt(bought.protocolFeeWei))}; the other ${aic(BigInt(bought.paidWei) - BigInt(bought.protocolFeeWei))} split by Payroll between the owner and the TrainedAI's lineage) and called it: predicted "${prediction ?? '?'}" for a held-out example labelled "${expected}" (served by ${result.servedBy.slice(0, 12)}…, uses left ${result.usesLeft})`,
  );
  return {
    paidWei: BigInt(bought.paidWei),
    protocolFeeWei: BigInt(bought.protocolFeeWei),
    prediction,
    expected,
    servedBy: result.servedBy,
    usesLeft: result.usesLeft,
  };
}

/**
 * `npm start`'s last step: a GPU provider's node (funded, no share in the lineage) buys one use of the TrainedAI and
 * calls it. Not a verifier's: a verifier's account holds only the stake it put up (and the fees it happened to earn).
 */
export async function runDemoInference(
  nodes: readonly DevnetNodeInfo[],
  trainedAssetId: bigint,
  log: (line: string) => void,
): Promise<void> {
  const owner = nodes.find((n) => n.role === 'requester');
  const caller = nodes.find((n) => n.role === 'gpu-provider') ?? nodes.find((n) => n.role === 'data-owner');
  if (!owner || !caller) return;
  await runPaidInference({ trainedAssetId, owner, caller, template: 'mnist', log: (line) => log(`job: ${line}`) });
}
