/**
 * Mints a settled job's TrainedAI exactly once per job. Training is deterministic, so two jobs with identical terms
 * commit the same result CID and checkpoint root, and the chain's AssetMinted events (the mint input carries no job
 * id) cannot tell their NFTs apart. What tells them apart is which job claimed which token: a job's state records its
 * token once minted, so a TrainedAI of this key with the job's result that no other job of this requester claims is
 * the one this job minted before a crash lost the outcome. Claims are taken one at a time (find-or-mint, then record),
 * so two jobs never take the same token, a restarted job never mints a second one, and N identical jobs own N NFTs.
 * (Should two identical jobs both crash after minting, each still takes one of the two tokens: they are the same
 * asset, content and lineage alike, so which job owns which does not matter.)
 */
import { dirname } from 'node:path';
import { AssetKind, assetRegistryAbi } from '@aic/ledger';
import { createSerialQueue } from '../../chain/serial.ts';
import type { AgentContext } from '../context.ts';
import type { JobRecord } from '../job-record.ts';
import { trainedAssetsClaimedByOthers } from './job-store.ts';

export interface TrainedAiMintInput {
  resultCid: string;
  checkpointRoot: `0x${string}`;
  lineage: { parentId: bigint; shareBps: number }[];
}

export class TrainedAiMinter {
  /** One claim at a time across this requester's jobs (a claim is: find or mint, then record). */
  readonly #claims = createSerialQueue();

  constructor(private readonly ctx: AgentContext) {}

  /** The job's TrainedAI: the one it minted before a restart, else a new one; `recordClaim` persists the token id
   * in the job's state before the next claim may look (it runs inside the serialized section). */
  mintOnce(
    record: JobRecord,
    input: TrainedAiMintInput,
    recordClaim: (tokenId: bigint) => Promise<void>,
  ): Promise<bigint> {
    return this.#claims(async () => {
      const tokenId = (await this.#unclaimedMint(record, input)) ?? (await this.#mint(input));
      await recordClaim(tokenId);
      return tokenId;
    });
  }

  /** The earliest TrainedAI this key minted with the job's result (same CID and checkpoint root) that no other job
   * of this requester claims, if any. */
  async #unclaimedMint(record: JobRecord, input: TrainedAiMintInput): Promise<bigint | undefined> {
    const { ledger } = this.ctx;
    const minted = await ledger.publicClient.getContractEvents({
      address: ledger.registry.address,
      abi: assetRegistryAbi,
      eventName: 'AssetMinted',
      args: { owner: ledger.account(), kind: AssetKind.TrainedAI },
      fromBlock: 0n,
      strict: true,
    });
    const root = input.checkpointRoot.toLowerCase();
    const same = minted.filter(
      (e) => e.args.manifestCid === input.resultCid && e.args.contentRoot.toLowerCase() === root,
    );
    if (same.length === 0) return undefined;
    const claimed = await trainedAssetsClaimedByOthers(dirname(record.dir), record.jobId);
    return same.find((e) => !claimed.has(String(e.args.tokenId)))?.args.tokenId;
  }

  async #mint(input: TrainedAiMintInput): Promise<bigint> {
    const { ledger } = this.ctx;
    const { tokenId } = await this.ctx.send(() =>
      ledger.mintAsset({
        kind: AssetKind.TrainedAI,
        manifestCid: input.resultCid,
        contentRoot: input.checkpointRoot,
        pricePerUseWei: 0n,
        lineage: input.lineage,
      }),
    );
    return tokenId;
  }
}
