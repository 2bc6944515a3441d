// The routes of jobs a browser wallet pays and this node coordinates (adopt-handlers.ts), spread into apiRoutes.
import type { RouteDef } from '../api/routes.ts';
import { jobAdoptBodySchema, jobAdoptedSchema, jobPrepareBodySchema, jobPreparedSchema } from './adopt-schemas.ts';

export const walletJobRoutes = {
  prepareJob: {
    method: 'POST',
    path: '/v1/jobs/prepare',
    summary:
      "Quote a job a wallet will pay and keep its ticket: answers the exact ComputeMarket request (specHash = the ticket's hash) to escrow",
    successStatus: 200,
    access: 'open',
    body: jobPrepareBodySchema,
    response: jobPreparedSchema,
  },
  adoptJob: {
    method: 'POST',
    path: '/v1/jobs/adopt',
    summary:
      "Coordinate a job a wallet escrowed with a prepared ticket (placement, progress, settlement, TrainedAI); signed by the job's requester (EIP-712 AdoptJob)",
    successStatus: 200,
    access: 'open',
    body: jobAdoptBodySchema,
    response: jobAdoptedSchema,
  },
} as const satisfies Record<string, RouteDef>;
