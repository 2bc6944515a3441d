/**
 * Issue 18 item 5: `--nodes 30` ran seven nodes on dev accounts 32–38, past the 32 the embedded chain funds, and
 * they stopped (no gas to stake). The devnet now funds such node accounts before starting the nodes.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aicToWei } from '@aic/core';
import { createDevClients } from '@aic/ledger/devchain';
import { bytesToHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, describe, expect, it } from 'vitest';
import { type DevnetChain, startDevnetChain } from '../../src/chain.ts';
import { FAUCET_AIC } from '../../src/faucet.ts';
import { fundNodeAccountsPastDevAccounts } from '../../src/fund-node-accounts.ts';
import { devAccountKey } from '../../src/nodes.ts';

describe('node accounts past the dev accounts the chain funds', () => {
  let devchain: DevnetChain | undefined;
  afterAll(async () => {
    await devchain?.close();
  });

  it('get AIC and gas before the nodes start; funded dev accounts are left alone', { timeout: 120_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'aic-fund-nodes-'));
    devchain = await startDevnetChain({ port: 0, dataDir, blockIntervalMs: 500, log: () => {} });
    const addressOf = (index: number) => privateKeyToAccount(bytesToHex(devAccountKey(index))).address;
    const first = devchain.chain.accounts.length;
    expect(addressOf(0)).toBe(devchain.chain.accounts[0]);
    const { as, publicClient } = createDevClients(devchain.chain, devchain.dev.deployment);
    const before = await publicClient.getBalance({ address: addressOf(first) });
    expect(before).toBe(0n);

    const lines: string[] = [];
    const funded = await fundNodeAccountsPastDevAccounts(devchain, [12, 13, first, first + 1], (l) => lines.push(l));

    expect(funded).toBe(2);
    expect(lines.join('\n')).toContain(`funded 2 node accounts past the chain's ${first} dev accounts`);
    for (const index of [first, first + 1]) {
      expect(await publicClient.getBalance({ address: addressOf(index) })).toBeGreaterThan(0n);
      expect(await as(addressOf(index)).balanceOf(addressOf(index))).toBe(aicToWei(FAUCET_AIC));
    }
  });
});
