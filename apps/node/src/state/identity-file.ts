import { AicError } from '@aic/core';
import type { NodeNetwork } from '../network-port.ts';
import { readJsonFile, writeFileAtomic } from './atomic-file.ts';
import { identityFileSchema } from './node-state.ts';

/** The data dir belongs to one identity: refuse to mix another key's state with it. */
export async function checkIdentityFile(path: string, network: NodeNetwork, now: () => number): Promise<void> {
  const existing = await readJsonFile(path, identityFileSchema);
  if (existing === undefined) {
    const file = { address: network.address, peerId: network.peerId, createdAt: new Date(now()).toISOString() };
    await writeFileAtomic(path, JSON.stringify(file, null, 2));
    return;
  }
  if (existing.address.toLowerCase() !== network.address.toLowerCase()) {
    throw new AicError('NODE_IDENTITY_MISMATCH', 'this data directory belongs to another account', {
      details: { dataDirAddress: existing.address, keyAddress: network.address },
    });
  }
}
