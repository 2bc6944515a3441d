/**
 * Runs one job on a job network while the requester's node (index 0) is SIGKILLed and started again at a chosen
 * point, and reads back from the chain what the job paid and minted: the requester-restart fault test's driver. The
 * job is followed on the chain (the requester's API is down for a while), then through the restarted node's API.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AssetKind, assetRegistryAbi, computeMarketAbi, jobStateName, marketClaimableOf } from '@aic/ledger';
import { createDevClients } from '@aic/ledger/devchain';
import { createApiClient } from '@aic/node/api';
import { type Address, getAddress } from 'viem';
import type { JobNetwork } from '../../src/job-network.ts';
import { publishTemplate } from '../../src/networked-job.ts';

export type KillPoint = 'after-escrow' | 'during-training' | 'after-commitment';

export interface RestartedJob {
  jobId: bigint;
  quote: { totalWei: bigint; providerWei: bigint };
  /** balance + pull-payment credit, after − before, per address. */
  deltas: Map<Address, bigint>;
  settled: number;
  /** TrainedAI NFTs minted by the requester for this job's result (same checkpoint root). */
  minted: number;
  committed: number;
  finalState: string;
  trainedAssetId: string | undefined;
  /** The job's status counters from the restarted node's API. */
  status: { retries?: number | undefined; redraws?: number | undefined };
  killedAt: string;
}

const REQUESTER = 0;

/** Reads the node's API token if it has one (writes need it once the API is authenticated). */
async function tokenOf(dataDir: string): Promise<string | undefined> {
  return await readFile(join(dataDir, 'node', 'api-token'), 'utf8').then(
    (t) => t.trim(),
    () => undefined,
  );
}

/** Resolves once `check` resolves true, polling every 250 ms; throws `what` after `timeoutMs`. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function runJobKillingRequester(
  net: JobNetwork,
  o: { point: KillPoint; template: 'iris' | 'mnist'; epochs: number; commitEverySteps: number; timeoutMs: number },
): Promise<RestartedJob> {
  const { as, publicClient } = createDevClients(net.chain, net.dev.deployment);
  const market = { address: net.dev.deployment.contracts.ComputeMarket, abi: computeMarketAbi } as const;
  const requesterNode = net.nodes[REQUESTER]!;
  const requester = getAddress(requesterNode.address);
  const dataOwner = getAddress(net.nodes.find((n) => n.role === 'data-owner')!.address);
  const providers = net.nodes.filter((n) => n.role === 'gpu-provider').map((n) => getAddress(n.address));
  const everyone = [requester, dataOwner, net.dev.roles.treasury, ...net.dev.roles.verifiers, ...providers];
  const earned = async (who: Address) => (await as(who).balanceOf(who)) + (await marketClaimableOf(as(who), who));

  // The data owner's node publishes the template's examples and model, like any member's own (issue 12).
  const { datasetId, modelId } = await publishTemplate(net.nodes.find((n) => n.role === 'data-owner')!, o.template);
  const api = () => createApiClient(net.nodes[REQUESTER]!.apiUrl, { token: () => undefined, timeoutMs: 30_000 });
  const token = await tokenOf(requesterNode.dataDir);
  const body = {
    datasetId,
    modelId,
    epochs: o.epochs,
    backend: 'wasm' as const,
    commitEverySteps: o.commitEverySteps,
    budgetAic: '40',
    verifierFeeAic: '3',
  };
  const writer = createApiClient(requesterNode.apiUrl, { token, timeoutMs: 60_000 });
  const before = await Promise.all(everyone.map(earned));
  const submitted = await writer.submitJob({ body });
  const jobId = BigInt(submitted.jobId);
  const quote = { totalWei: BigInt(submitted.quote.totalWei), providerWei: BigInt(submitted.quote.providerWei) };
  const stateOf = async () => jobStateName((await as(requester).market.read.jobOf([jobId])).state);

  // Kill the requester's node at the chosen point (read from the chain and the requester's own status), restart it.
  if (o.point === 'during-training') {
    await until(
      'training progress on the requester',
      async () => {
        const s = await api().jobStatus({ query: { jobId: String(jobId) } });
        return s.state === 'Running' && (s.commitments ?? 0) >= 2;
      },
      o.timeoutMs,
    );
  }
  if (o.point === 'after-commitment') {
    await until('the commitment', async () => ['Committed', 'Verifying'].includes(await stateOf()), o.timeoutMs);
  }
  const killedAt = await stateOf();
  await net.kill(REQUESTER);
  await net.restart(REQUESTER);

  let trainedAssetId: string | undefined;
  let status: RestartedJob['status'] = {};
  await until(
    'the TrainedAI minted after settlement',
    async () => {
      const s = await api().jobStatus({ query: { jobId: String(jobId) } });
      status = { retries: s.retries, redraws: s.redraws };
      if (s.resultError) throw new Error(`result failed: ${s.resultError}`);
      trainedAssetId = s.trainedAssetId;
      return trainedAssetId !== undefined;
    },
    o.timeoutMs,
  );
  const after = await Promise.all(everyone.map(earned));
  const deltas = new Map<Address, bigint>();
  for (const [i, who] of everyone.entries()) deltas.set(who, (deltas.get(who) ?? 0n) + after[i]! - before[i]!);

  const where = { ...market, args: { jobId }, fromBlock: 0n, strict: true } as const;
  const committed = await publicClient.getContractEvents({ ...where, eventName: 'ResultCommitted' });
  const settled = await publicClient.getContractEvents({ ...where, eventName: 'JobSettled' });
  const root = committed.at(-1)?.args.checkpointRoot;
  const minted = await publicClient.getContractEvents({
    address: net.dev.deployment.contracts.AssetRegistry,
    abi: assetRegistryAbi,
    eventName: 'AssetMinted',
    args: { owner: requester, kind: AssetKind.TrainedAI },
    // From this job's settlement on: an earlier job with identical terms trained the same weights (same checkpoint
    // root) and has its own TrainedAI, minted before this one settled.
    fromBlock: settled[0]?.blockNumber ?? 0n,
    strict: true,
  });
  return {
    jobId,
    quote,
    deltas,
    settled: settled.length,
    committed: committed.length,
    minted: minted.filter((e) => e.args.contentRoot === root).length,
    finalState: await stateOf(),
    trainedAssetId,
    status,
    killedAt,
  };
}
