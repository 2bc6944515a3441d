import { z } from 'zod';
import { assetId, bytes32Hex } from '../../wire/messages/fields.ts';
import { defineProtocol } from '../protocol.ts';

/**
 * Dataset key release: an assigned worker asks the data owner for the dataset key, wrapped to the worker's public
 * key, once the ledger shows a paid assignment (DESIGN.md §4). Handler: the Data Vessel (a later issue).
 */
export const datasetKeyReleaseProtocol = defineProtocol({
  id: '/aic/dataset-key/1.0.0',
  request: z.strictObject({ datasetId: assetId, jobId: bytes32Hex, workerPublicKey: z.instanceof(Uint8Array) }),
  response: z.strictObject({ wrappedKey: z.instanceof(Uint8Array) }),
  maxRequestBytes: 4 * 1024,
  maxResponseBytes: 4 * 1024,
});
