import { z } from 'zod';
import { bytes32Hex } from '../../wire/messages/fields.ts';
import { defineProtocol } from '../protocol.ts';

/**
 * Job ticket delivery: the requester hands the assigned provider its EIP-712 signed job ticket.
 * Handler: the GPU Vessel (a later issue). The ticket stays opaque bytes here; its EIP-712 check belongs to the
 * handler, which knows the ledger.
 */
export const jobTicketProtocol = defineProtocol({
  id: '/aic/job-ticket/1.0.0',
  request: z.strictObject({ jobId: bytes32Hex, ticket: z.instanceof(Uint8Array), signature: z.instanceof(Uint8Array) }),
  response: z.strictObject({ accepted: z.boolean(), reason: z.string().max(256).optional() }),
  maxRequestBytes: 32 * 1024,
  maxResponseBytes: 4 * 1024,
});
