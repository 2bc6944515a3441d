/**
 * Who may receive a dataset's key (open market, issue 12), read on chain through @aic/ledger at the moment of the
 * request:
 *
 * - For a job (jobId ≠ 0): the job exists, names this dataset, is funded and not final (Escrowed, Assigned, Running,
 *   Committed, Verifying, Disputed, Preempted or Reassigned), and the worker is the job's current `provider`, its
 *   drawn verifier (`designatedVerifier(jobId)`, or the `verifier` the job records), is seated on the job's dispute
 *   committee (DisputeCourt, while Disputed: a referee re-runs segments), or holds ComputeMarket's ARBITER_ROLE (the
 *   court's fallback ruler).
 * - Without a job (jobId 0): the worker holds a usage right on PLAZA (`usesLeft > 0` or `hasAccess`: owner, renter,
 *   uses left, open access window) AND the Dataset NFT's licence allows download: bit 0 of `licenseId`
 *   (LICENSE_ALLOWS_DOWNLOAD). A licence without it keeps the plaintext inside compute jobs.
 *
 * Anything else is a refusal (the handler answers DATA_KEY_UNPAID and releases nothing). A chain that cannot be
 * asked throws (the handler answers DATA_KEY_RIGHT_UNVERIFIED): refuse rather than release.
 */
import { AssetKind, decodeRevert, disputeCourtAbi, JobState, type LedgerClient, roleId } from '@aic/ledger';
import type { Address, Hex } from 'viem';

/** Bit 0 of a Dataset NFT's `licenseId`: whoever holds a usage right may download the plaintext. */
export const LICENSE_ALLOWS_DOWNLOAD = 1;

/** The licences `POST /v1/datasets/publish` offers, as `licenseId` values. */
export const DATASET_LICENSES = { 'job-only': 0, download: LICENSE_ALLOWS_DOWNLOAD } as const;
export type DatasetLicense = keyof typeof DATASET_LICENSES;

export const licenseAllowsDownload = (licenseId: number): boolean => (licenseId & LICENSE_ALLOWS_DOWNLOAD) !== 0;

/** A key request as the key-release handler sees it: the worker's address comes from its authenticated PeerId. */
export interface ReleaseRequest {
  readonly datasetId: string;
  readonly worker: Address;
  readonly jobId: Hex;
}

const FUNDED_NOT_FINAL = new Set<number>(
  (['Escrowed', 'Assigned', 'Running', 'Committed', 'Verifying', 'Disputed', 'Preempted', 'Reassigned'] as const).map(
    (name) => JobState[name],
  ),
);
const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';
const ARBITER_ROLE = roleId('ARBITER_ROLE');
const same = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

/** A read whose revert means "no" (unknown job, no verifier drawn yet); any other failure propagates. */
async function orUndefinedOnRevert<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (decodeRevert(error) !== undefined) return undefined;
    throw error;
  }
}

type RuleLedger = Pick<LedgerClient, 'registry' | 'market' | 'plaza'> & Partial<Pick<LedgerClient, 'publicClient'>>;

/** The rule as `mayRelease` for the Data Vessel's key-release handler. */
export function datasetReleaseRule(ledger: RuleLedger): (request: ReleaseRequest) => Promise<boolean> {
  return async ({ datasetId, worker, jobId }) => {
    if (!/^[1-9][0-9]{0,9}$/.test(datasetId)) return false;
    const tokenId = BigInt(datasetId);
    const job = BigInt(jobId);
    if (job === 0n) return await mayDownload(ledger, tokenId, worker);
    const record = await orUndefinedOnRevert(() => ledger.market.read.jobOf([job]));
    if (record === undefined || BigInt(record.datasetId) !== tokenId || !FUNDED_NOT_FINAL.has(record.state)) {
      return false;
    }
    if (same(record.provider, worker) || (record.verifier !== ZERO_ADDRESS && same(record.verifier, worker))) {
      return true;
    }
    const drawn = await orUndefinedOnRevert(() => ledger.market.read.designatedVerifier([job]));
    if (same(drawn, worker)) return true;
    if (record.state === JobState.Disputed && (await isSeatedReferee(ledger, job, worker))) return true;
    return await ledger.market.read.hasRole([ARBITER_ROLE, worker]);
  };
}

/** Whether `worker` sits on either round's committee of the job's DisputeCourt case. */
async function isSeatedReferee(ledger: RuleLedger, jobId: bigint, worker: Address): Promise<boolean> {
  const { publicClient } = ledger;
  if (!publicClient) return false;
  const court = await ledger.market.read.court();
  if (/^0x0{40}$/i.test(court)) return false;
  for (const round of [1, 2]) {
    const seats = await publicClient.readContract({
      address: court,
      abi: disputeCourtAbi,
      functionName: 'committeeOf',
      args: [jobId, round],
    });
    if (seats.some((s) => same(s, worker))) return true;
  }
  return false;
}

async function mayDownload(ledger: RuleLedger, tokenId: bigint, worker: Address): Promise<boolean> {
  const asset = await orUndefinedOnRevert(() => ledger.registry.read.assetOf([tokenId]));
  if (asset === undefined || asset.kind !== AssetKind.Dataset || !licenseAllowsDownload(asset.licenseId)) return false;
  if ((await ledger.plaza.read.usesLeft([tokenId, worker])) > 0n) return true;
  return await ledger.plaza.read.hasAccess([tokenId, worker]);
}
