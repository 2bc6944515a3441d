/**
 * Jobs a browser wallet pays and this node coordinates (issue 14). `prepareJob` quotes the job and keeps its ticket;
 * the wallet escrows the returned request itself (approve + ComputeMarket.createAndFundJob: its AIC, its signature);
 * `adoptJob` then takes the job on once the chain shows it funded with that ticket's hash, on a statement signed by
 * the job's requester (EIP-712 `AdoptJob`, within the API's signature window). The node's key never pays.
 */
import { AicError } from '@aic/core';
import { type Address, type Hex, isAddressEqual, recoverTypedDataAddress } from 'viem';
import { SIGNATURE_MAX_AGE_MS } from '../api/request-signature.ts';
import type { ApiHandlers } from '../api/routes.ts';
import { JOB_ADOPTION_TYPED_DATA } from './adopt-schemas.ts';
import { quoteJson, submissionOf } from './job-handlers.ts';
import type { JobServices } from './job-services.ts';

type AdoptHandlers = Pick<ApiHandlers, 'prepareJob' | 'adoptJob'>;

/** A job can be taken on while it is funded and not finished. */
const ADOPTABLE = new Set(['Escrowed', 'Assigned', 'Running', 'Preempted', 'Reassigned']);

function services(jobs: JobServices | undefined): JobServices {
  if (!jobs)
    throw new AicError('LEDGER_UNAVAILABLE', 'no chain configured: start the node with --rpc-url and --deployment');
  return jobs;
}

/** Who signed the adoption statement for `jobId` to `node` (undefined when the signature does not parse). */
export async function adoptionSigner(
  node: Address,
  jobId: bigint,
  signedAtMs: number,
  signature: Hex,
): Promise<Address | undefined> {
  try {
    return await recoverTypedDataAddress({
      ...JOB_ADOPTION_TYPED_DATA,
      message: { node, jobId, signedAtMs: BigInt(signedAtMs) },
      signature,
    });
  } catch {
    return undefined;
  }
}

export function createAdoptHandlers(jobs: JobServices | undefined, now: () => number = Date.now): AdoptHandlers {
  return {
    prepareJob: async ({ body }) => {
      const { requester, ledger } = services(jobs);
      const { quote, request } = await requester.prepareForPayer(submissionOf(body));
      return {
        quote: quoteJson(quote),
        request: {
          datasetId: request.datasetId,
          modelId: request.modelId,
          providerBudget: String(request.providerBudgetWei),
          verifierFee: String(request.verifierFeeWei),
          minHwClass: request.minHwClass,
          checkpointCount: request.checkpointCount,
          deadline: request.deadline,
          specHash: request.specHash.toLowerCase(),
        },
        contracts: { market: ledger.deployment.contracts.ComputeMarket, token: ledger.deployment.contracts.AICToken },
        chainId: ledger.deployment.chainId,
        node: ledger.account(),
      };
    },
    adoptJob: async ({ body }) => {
      const { requester, ledger } = services(jobs);
      const jobId = BigInt(body.jobId);
      const refuse = (why: string) =>
        new AicError('API_UNAUTHORIZED', `adoption of job ${jobId} refused: ${why}`, {
          details: { scheme: 'EIP-712 AdoptJob', jobId: body.jobId },
        });
      if (Math.abs(now() - body.signedAtMs) > SIGNATURE_MAX_AGE_MS) {
        throw refuse(`signedAtMs must be within ${SIGNATURE_MAX_AGE_MS / 60_000} minutes of the node's clock`);
      }
      const facts = await requester.payerJobFacts(jobId);
      const signer = await adoptionSigner(ledger.account(), jobId, body.signedAtMs, body.signature as Hex);
      if (signer === undefined) throw refuse('malformed signature');
      if (!isAddressEqual(signer, facts.requester)) throw refuse("not signed by the job's requester for this node");
      if (!ADOPTABLE.has(facts.state) && !(await requester.isOwn(jobId))) {
        throw new AicError(
          'JOB_REQUEST_INVALID',
          `job ${jobId} is ${facts.state}: only a funded, open job is taken on`,
        );
      }
      const adopted = await requester.adopt(jobId);
      return {
        jobId: String(adopted.jobId),
        requester: adopted.requester,
        state: adopted.state,
        escrowWei: String(adopted.escrowWei),
        adopted: adopted.adopted,
      };
    },
  };
}
