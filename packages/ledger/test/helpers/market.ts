/** Shared steps for ComputeMarket tests: providers, assets, job requests, and walking a job through its states. */
import { aicToWei } from '@aic/core';
import { type Address, keccak256, toHex } from 'viem';
import type { JobRequestInput } from '../../src/actions/jobs.ts';
import { AssetKind, HardwareClass, NO_PERMIT } from '../../src/types.ts';
import type { Fixture } from './fixture.ts';

export const PRICE = {
  dataset: aicToWei('3'),
  model: aicToWei('2'),
  budget: aicToWei('100'),
  verifier: aicToWei('5'),
};

export interface MarketWorld {
  requester: Address;
  providers: Address[];
  dataOwner: Address;
  modelOwner: Address;
  datasetId: number;
  modelId: number;
}

/** Mints a dataset and a model and registers two providers (class WorkstationGpu). */
export async function setUpMarket(f: Fixture): Promise<MarketWorld> {
  const [requester, p1, p2, dataOwner, modelOwner] = f.roles.users as [Address, Address, Address, Address, Address];
  const { tokenId: datasetId } = await f.as(dataOwner).mintAsset({
    kind: AssetKind.Dataset,
    manifestCid: 'bafy-dataset',
    contentRoot: keccak256(toHex('dataset')),
    pricePerUseWei: PRICE.dataset,
  });
  const { tokenId: modelId } = await f.as(modelOwner).mintAsset({
    kind: AssetKind.Model,
    manifestCid: 'bafy-model',
    contentRoot: keccak256(toHex('model')),
    pricePerUseWei: PRICE.model,
  });
  for (const p of [p1, p2]) await registerProvider(f, p, HardwareClass.WorkstationGpu, aicToWei('2000'));
  return {
    requester,
    providers: [p1, p2],
    dataOwner,
    modelOwner,
    datasetId: Number(datasetId),
    modelId: Number(modelId),
  };
}

export async function registerProvider(f: Fixture, provider: Address, hwClass: number, stake: bigint): Promise<void> {
  const ledger = f.as(provider);
  const permit = await ledger.signPermit(ledger.market.address, stake);
  await ledger.confirm('registerProvider', () => ledger.market.write.registerProvider([hwClass, stake, permit]));
}

export async function deadlineIn(f: Fixture, seconds: number): Promise<number> {
  const block = await f.publicClient.getBlock();
  return Number(block.timestamp) + seconds;
}

export async function jobRequest(
  f: Fixture,
  w: MarketWorld,
  over: Partial<JobRequestInput> = {},
): Promise<JobRequestInput> {
  return {
    datasetId: w.datasetId,
    modelId: w.modelId,
    providerBudgetWei: PRICE.budget,
    verifierFeeWei: PRICE.verifier,
    minHwClass: HardwareClass.ConsumerGpu,
    checkpointCount: 10,
    deadline: await deadlineIn(f, 3_600),
    specHash: keccak256(toHex('job spec')),
    ...over,
  };
}

/**
 * Escrowed job with provider budget `price` (a fixed-price job pays its assignee the budget) → mine a block for the
 * seed → assigned to `provider` by an account holding no role (the world's two providers are both on every shortlist).
 */
export async function escrowAndAssign(
  f: Fixture,
  w: MarketWorld,
  provider: Address,
  price: bigint,
  over: Partial<JobRequestInput> = {},
) {
  const { jobId } = await f
    .as(w.requester)
    .createAndFundJob(await jobRequest(f, w, { providerBudgetWei: price, ...over }));
  await f.testClient.mine({ blocks: 1 });
  const anyone = f.as(w.modelOwner);
  await anyone.confirm('assignJob', () => anyone.market.write.assignJob([jobId, provider]));
  return jobId;
}

/** Commits a result as `provider` and mines the block whose hash draws the verifier; returns that verifier. */
export async function commit(f: Fixture, jobId: bigint, provider: Address): Promise<Address> {
  const ledger = f.as(provider);
  await ledger.confirm('commitResult', () =>
    ledger.market.write.commitResult([jobId, keccak256(toHex(`root-${jobId}`)), `bafy-result-${jobId}`]),
  );
  // The verifier is drawn from the hash of the block after the commitment, readable from the block after that.
  await f.testClient.mine({ blocks: 2 });
  return ledger.market.read.designatedVerifier([jobId]);
}

export async function pass(f: Fixture, jobId: bigint, verifier: Address): Promise<void> {
  const ledger = f.as(verifier);
  await ledger.confirm('submitVerdict', () => ledger.market.write.submitVerdict([jobId, true]));
}

export async function afterChallengeWindow(f: Fixture): Promise<void> {
  await f.testClient.increaseTime({ seconds: 61 });
  await f.testClient.mine({ blocks: 1 });
}

export { NO_PERMIT };
