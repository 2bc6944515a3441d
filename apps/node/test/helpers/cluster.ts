import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { encryptKeystore } from '@aic/core/keystore';
import { createApiClient } from '../../src/api/client.ts';
import { keystoreDir, saveKeystore } from '../../src/identity/keystore-files.ts';
import { type NodeProcess, spawnNodeProcess } from '../../src/spawn.ts';

export const TEST_PASSWORD = 'integration-test-password';
// Throwaway keys: a low scrypt cost keeps node start fast. Real keystores use N = 2^18.
const TEST_SCRYPT_N = 1024;

/** Writes a fresh keystore into `<dataDir>/keystore` and returns its address. */
export async function createTestAccount(dataDir: string): Promise<string> {
  const entry = await saveKeystore(
    keystoreDir(dataDir),
    await encryptKeystore(randomBytes(32), TEST_PASSWORD, { scryptN: TEST_SCRYPT_N }),
  );
  return entry.address;
}

/** Starts a node process on 127.0.0.1 with free ports, waiting for its ready line. */
export function startTestNode(dataDir: string, bootstrap: string[] = [], extra: string[] = []): Promise<NodeProcess> {
  return spawnNodeProcess({
    args: [
      ...['--data-dir', dataDir, '--listen', '/ip4/127.0.0.1/tcp/0', '--api-port', '0', '--log-level', 'info'],
      // The minimal preset's timers (coordinates every 500 ms, offers re-gossiped every 2 s): a loaded CI machine still
      // sees RTT estimates and late joiners get offers.
      '--preset',
      'minimal',
      ...bootstrap.flatMap((b) => ['--bootstrap', b]),
      ...extra,
    ],
    env: { AIC_PASSWORD: TEST_PASSWORD },
  });
}

/**
 * Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. For state that only
 * an API can reveal (e.g. "has the offer arrived"); the bound keeps a broken run from hanging.
 */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `timed out waiting for ${what}${lastError instanceof Error ? ` (last error: ${lastError.message})` : ''}`,
  );
}

/** Waits until the node at `apiUrl` reports at least `count` connected peers. */
export function waitForPeers(apiUrl: string, count: number): Promise<number> {
  const api = createApiClient(apiUrl);
  return eventually(`${count} peers at ${apiUrl}`, async () => {
    const { connectedPeers } = await api.status();
    return connectedPeers >= count ? connectedPeers : undefined;
  });
}

export const dataDirOf = (root: string, i: number) => join(root, `node-${i}`);
