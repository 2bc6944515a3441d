/**
 * The devnet's demo job: one training job through the whole Proof-of-Value loop with real components — the AIC
 * contracts on the embedded EVM, the Resource Allocator choosing the provider from the chain's seed, the
 * deterministic Model Vessel runtime training the Iris template with checkpoint commitments, a verifier drawn by the
 * chain re-running sampled segments, settlement paying every party, and the trained model minted as a TrainedAI NFT
 * with lineage. The parties act with the devnet's dev accounts from this process; the networked GPU Vessel agent that
 * will do the provider's part on its own node is a later issue.
 */

import { choosePlacement, createOfferBook, type Offer } from '@aic/allocator';
import { aicToWei, weiToAic } from '@aic/core';
import { devnetPreset } from '@aic/core/params';
import { AssetKind, HardwareClass, type JobRequestInput, marketClaimableOf } from '@aic/ledger';
import { createDevClients, type DevDeployment, type EmbeddedChain } from '@aic/ledger/devchain';
import { type Checkpoint, datasetDigest, irisTemplate, trainJob, verifySegment } from '@aic/model-vessel';
import { quoteVerification, sampleSegments } from '@aic/verification';
import { type Address, bytesToHex, keccak256, toHex } from 'viem';
import { type ClockProvider, waitForChainTime } from './chain-clock.ts';

export interface DemoJobOptions {
  chain: EmbeddedChain;
  dev: DevDeployment;
  log: (line: string) => void;
  signal: AbortSignal;
}

// The network's verification policy, stake and price: the devnet preset's (`@aic/core/params`), as its nodes use.
const { confidence: CONFIDENCE, cheatFraction: CHEAT_FRACTION } = devnetPreset.verification;
const STAKE_AIC = devnetPreset.provider.stakeAic;
const PRICE_AIC_PER_HOUR = devnetPreset.provider.priceAicPerHour;

export async function runDemoJob({ chain, dev, log, signal }: DemoJobOptions): Promise<void> {
  const { publicClient, as } = createDevClients(chain, dev.deployment);
  const [requester, provider1, provider2, dataOwner] = dev.roles.users as [Address, Address, Address, Address];
  const step = (line: string) => {
    if (signal.aborted) throw signal.reason;
    log(`demo job: ${line}`);
  };
  const aic = (wei: bigint) => `${Number(weiToAic(wei)).toLocaleString('en-US', { maximumFractionDigits: 4 })} AIC`;
  // Earned = AIC held + what the market will pay (credits, the assets' accrued fees, the treasury's accrued fees).
  const earned = async (who: Address) => (await as(who).balanceOf(who)) + (await marketClaimableOf(as(who), who));

  // 1. The data owner publishes the Iris dataset and the MLP model as NFTs with per-use prices.
  const { train } = await irisTemplate.loadData();
  const owner = as(dataOwner);
  const { tokenId: datasetId } = await owner.mintAsset({
    kind: AssetKind.Dataset,
    manifestCid: 'iris-tensors',
    contentRoot: bytesToHex(datasetDigest(train)),
    pricePerUseWei: aicToWei('2'),
  });
  const { tokenId: modelId } = await owner.mintAsset({
    kind: AssetKind.Model,
    manifestCid: 'iris-mlp',
    contentRoot: keccak256(toHex(JSON.stringify(irisTemplate.manifest))),
    pricePerUseWei: aicToWei('1'),
  });
  step(`dataset #${datasetId} (Iris, 2 AIC per use) and model #${modelId} (MLP, 1 AIC per use) published`);

  // 2. Two GPU Vessels stake (this machine has no GPU: class Cpu).
  for (const p of [provider1, provider2]) {
    const ledger = as(p);
    if ((await ledger.market.read.providerOf([p])).registered) continue;
    const stake = aicToWei(STAKE_AIC);
    const permit = await ledger.signPermit(ledger.market.address, stake);
    await ledger.confirm('registerProvider', () =>
      ledger.market.write.registerProvider([HardwareClass.Cpu, stake, permit]),
    );
  }
  step(`2 providers staked ${STAKE_AIC} AIC each (hardware class CPU)`);

  // 3. The requester sees the verification quote, then escrows the job in one transaction (permit, no approve).
  const epochs = 60;
  const commitEverySteps = 8;
  const segments = Math.ceil((epochs * Math.ceil(train.count / 16)) / commitEverySteps);
  const quote = quoteVerification({ segments, confidence: CONFIDENCE, cheatFraction: CHEAT_FRACTION });
  step(
    `quote: ${segments} segments, verifiers re-run ${quote.samples} (P(detect a 10 % cheat) = ${quote.pDetect.toFixed(4)}, overhead ${(quote.overhead * 100).toFixed(1)} %)`,
  );
  const block = await publicClient.getBlock();
  const spec = {
    manifest: irisTemplate.manifest,
    backend: 'cpu' as const,
    seed: 7,
    commitEverySteps,
    hyperparameters: { epochs },
  };
  const request: JobRequestInput = {
    datasetId: Number(datasetId),
    modelId: Number(modelId),
    providerBudgetWei: aicToWei('50'),
    verifierFeeWei: aicToWei('3'),
    minHwClass: HardwareClass.Cpu,
    checkpointCount: segments,
    deadline: Number(block.timestamp) + 3_600,
    specHash: keccak256(toHex(JSON.stringify(spec))),
  };
  const before = await Promise.all([requester, provider1, provider2, dataOwner, dev.roles.treasury].map(earned));
  const { jobId, escrowWei } = await as(requester).createAndFundJob(request);
  step(`job #${jobId} escrowed ${aic(escrowWei)} (budget 50, dataset 2, model 1, verifier 3, protocol fee 2.5 %)`);

  // 4. The allocator places it with the seed from the block after the escrow: neither side chose. The contract
  // accepts only a provider on the job's seeded shortlist; the allocator ranks the shortlisted offers.
  const R = as(requester);
  let seed = await waitFor(() => R.market.read.assignmentSeed([jobId]), signal);
  let shortlist = new Set(await R.market.read.assignmentShortlist([jobId]));
  // The nodes' providers are drawn too: until one of the demo's two is on the shortlist, anyone may redraw it once the
  // assign window has passed (a chain error until then, so the read is retried).
  while (!shortlist.has(provider1) && !shortlist.has(provider2)) {
    await waitFor(() => R.confirm('redrawAssignment', () => R.market.write.redrawAssignment([jobId])), signal, 120_000);
    seed = await waitFor(() => R.market.read.assignmentSeed([jobId]), signal);
    shortlist = new Set(await R.market.read.assignmentShortlist([jobId]));
  }
  const offers: Offer[] = [provider1, provider2]
    .filter((p) => shortlist.has(p))
    .map((p, i) => ({
      id: `offer-${p}`,
      provider: p,
      hwClass: HardwareClass.Cpu,
      memoryGiB: 16,
      tflops: 0.3,
      pricePerHour: Number(PRICE_AIC_PER_HOUR) + i,
      stake: Number(STAKE_AIC),
      reputation: 0.5,
      coordinate: { vec: [0, 0, 0], height: 1 },
      bandwidthMBps: 100,
      cachedDatasets: [],
      slots: 1,
    }));
  const placement = choosePlacement(
    // A wider near-best band than the preset's 1 %, so both demo offers (1 AIC apart) are in the seeded draw.
    createOfferBook(offers, { ...devnetPreset.allocator, nearBestFraction: 0.05 }),
    {
      id: `job-${jobId}`,
      minHwClass: HardwareClass.Cpu,
      minMemoryGiB: 1,
      workTflop: 1,
      maxPricePerHour: 100,
      minStake: 100,
      datasetMB: 0,
      dataSources: [],
    },
    seed,
  )!;
  const chosen = placement.provider as Address;
  const allocator = as(dev.roles.allocator);
  await allocator.confirm('assignJob', () => allocator.market.write.assignJob([jobId, chosen]));
  step(`allocator assigned it to ${chosen} for its budget, 50 AIC (seed ${toHex(seed).slice(0, 12)}…)`);

  // 5. The provider trains in the deterministic runtime, committing every 8 steps, and commits the Merkle root.
  const checkpoints: Checkpoint[] = [];
  let lastShown = -1;
  const result = await trainJob(spec, train, {
    signal,
    onCheckpoint: (c) => void checkpoints.push(c),
    onProgress: (p) => {
      const tenth = Math.floor((10 * p.step) / p.totalSteps);
      if (tenth === lastShown) return;
      lastShown = tenth;
      log(
        `demo job: training step ${p.step}/${p.totalSteps} loss ${p.loss.toFixed(4)}${p.accuracy === undefined ? '' : ` accuracy ${p.accuracy.toFixed(3)}`}`,
      );
    },
  });
  result.model.dispose();
  const providerLedger = as(chosen);
  await providerLedger.confirm('startJob', () => providerLedger.market.write.startJob([jobId]));
  await providerLedger.confirm('commitResult', () =>
    providerLedger.market.write.commitResult([jobId, result.commitmentRoot, result.resultCid]),
  );
  step(
    `provider committed ${result.commitments.length - 1} segments, root ${result.commitmentRoot.slice(0, 14)}…, weights ${result.resultCid}`,
  );

  // 6. The verifier drawn from the block after the commitment re-runs the sampled segments exactly.
  const verifier = await waitFor(() => as(requester).market.read.designatedVerifier([jobId]), signal);
  const picked = sampleSegments(
    seed,
    `job-${jobId}`,
    result.commitments.length - 1,
    Math.min(quote.samples, result.commitments.length - 1),
  );
  let matches = 0;
  for (const i of picked) {
    if (signal.aborted) throw signal.reason;
    if ((await verifySegment(spec, train, checkpoints[i]!, result.commitments[i + 1]!)).match) matches++;
  }
  const valid = matches === picked.length;
  const verifierLedger = as(verifier);
  await verifierLedger.confirm('submitVerdict', () => verifierLedger.market.write.submitVerdict([jobId, valid]));
  step(
    `verifier ${verifier} re-ran ${picked.length} segments: ${matches} exact matches → ${valid ? 'valid' : 'DISPUTED'}`,
  );
  if (!valid) return;

  // 7. After the challenge window, settlement pays everyone. The devnet waits it out instead of moving the chain's
  // clock (time travel would push every later block ahead of the wall clock for good): its window is a few seconds.
  const { challengeEnds } = await as(requester).market.read.jobOf([jobId]);
  await waitForChainTime(chain.provider as ClockProvider, BigInt(challengeEnds) + 1n, { signal });
  await as(requester).confirm('settleJob', () => as(requester).market.write.settleJob([jobId]));
  const after = await Promise.all([requester, provider1, provider2, dataOwner, dev.roles.treasury].map(earned));
  const names = ['requester', 'provider 1', 'provider 2', 'data owner', 'treasury'];
  step(
    `settled after the ${dev.config.params.challengeWindowSec} s challenge window: ${names.map((n, i) => `${n} ${signed(after[i]! - before[i]!)}`).join(', ')}`,
  );

  // 8. The trained model becomes a TrainedAI asset whose income flows upstream to the dataset and the model.
  const { tokenId: trainedId } = await as(requester).mintAsset({
    kind: AssetKind.TrainedAI,
    manifestCid: result.resultCid,
    contentRoot: result.commitmentRoot,
    pricePerUseWei: aicToWei('0.5'),
    lineage: [
      { parentId: datasetId, shareBps: 3_000 },
      { parentId: modelId, shareBps: 2_000 },
    ],
  });
  step(`TrainedAI #${trainedId} minted with lineage (dataset 30 %, model 20 % of its future income). Done.`);

  function signed(wei: bigint): string {
    return `${wei >= 0n ? '+' : '−'}${aic(wei >= 0n ? wei : -wei)}`;
  }
}

/** Retries a read that waits for the next block (seeds), bounded; blocks come at least every second on the devnet. */
async function waitFor<T>(read: () => Promise<T>, signal: AbortSignal, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (signal.aborted || Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
