/**
 * Fresh payer accounts on a real (in-process) chain (issue 15): a requester's job is escrowed by a key that never
 * sent a transaction, funded from the node's account a random lead of blocks before; the key is kept encrypted; a
 * ticket's payer is used again for the same ticket only; an expired job's escrow is refunded to the payer and swept
 * back, so the node's account ends where it started (in AIC).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLedgerClient, type LedgerClient } from '@aic/ledger';
import { createDevClients, deployDevnet, startEmbeddedChain } from '@aic/ledger/devchain';
import { type Address, createWalletClient, custom, keccak256, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { hardhat } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentContext } from '../../src/agent/context.ts';
import { type FreshPayerPort, FreshPayers, PAYER_LEAD } from '../../src/agent/fresh-payers.ts';
import { JobPayers } from '../../src/agent/requester/job-payers.ts';
import { JobStore } from '../../src/agent/requester/job-store.ts';
import { createSerialQueue } from '../../src/chain/serial.ts';

const AIC = 10n ** 18n;
const SECRET = keccak256(toHex('test payer secret'));

describe('fresh payers', () => {
  let chain: Awaited<ReturnType<typeof startEmbeddedChain>>;
  let dir: string;
  let ctx: AgentContext;
  let port: FreshPayerPort;
  let publicClient: ReturnType<typeof createDevClients>['publicClient'];
  let node: LedgerClient;
  let mining: ReturnType<typeof setInterval>;

  beforeAll(async () => {
    chain = await startEmbeddedChain();
    const dev = await deployDevnet(chain.provider, chain.accounts);
    const clients = createDevClients(chain, dev.deployment);
    publicClient = clients.publicClient;
    node = clients.as(chain.accounts[3] as Address);
    dir = await mkdtemp(join(tmpdir(), 'aic-fresh-payers-'));
    const transport = custom(chain.provider, { retryCount: 0 });
    port = {
      dir: join(dir, 'payers'),
      secret: SECRET,
      connect: async (key) =>
        createLedgerClient({
          publicClient,
          walletClient: createWalletClient({ chain: hardhat, transport, account: privateKeyToAccount(toHex(key)) }),
          deployment: dev.deployment,
        }),
    };
    const log = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
    ctx = { ledger: node, send: createSerialQueue(), log } as unknown as AgentContext;
    // The embedded chain mines on transactions only: a block every 20 ms lets the payer's lead pass.
    mining = setInterval(() => void clients.testClient.mine({ blocks: 1 }).catch(() => undefined), 20);
  }, 120_000);

  afterAll(async () => {
    clearInterval(mining);
    await chain?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('funds a new key from the node account, in whole AIC above the need, and escrows only after the lead', async () => {
    const payers = new FreshPayers(ctx, port, 'job payer');
    const need = 7n * AIC + 5n;
    const payer = await payers.take(need, new AbortController().signal);
    const nowBlock = await publicClient.getBlockNumber();
    expect(payer.address).not.toBe(node.account());
    expect(payers.isPayer(payer.address)).toBe(true);
    expect(await publicClient.getTransactionCount({ address: payer.address })).toBe(0);
    const balance = await node.balanceOf(payer.address);
    expect(balance % AIC).toBe(0n);
    expect(balance).toBeGreaterThanOrEqual((need * 12n) / 10n);
    expect(balance).toBeLessThan(need * 2n + AIC);
    expect(await publicClient.getBalance({ address: payer.address })).toBeGreaterThan(0n); // its gas money
    // The funding is at least the minimum lead old when the payer is handed out.
    const funding = await node.token.getEvents.Transfer({ to: payer.address }, { fromBlock: 0n });
    expect(funding).toHaveLength(1);
    expect(getAddressLower(funding[0]!.args.from)).toBe(node.account().toLowerCase());
    expect(nowBlock - funding[0]!.blockNumber).toBeGreaterThanOrEqual(BigInt(PAYER_LEAD.minBlocks));
    // The key is on disk encrypted only: no file holds its raw bytes, and the secret opens it again.
    const keyFile = `${payer.address.toLowerCase()}.json`;
    expect((await readdir(port.dir)).filter((n) => n.endsWith('.json'))).toEqual([keyFile]);
    const reopened = await payers.open(payer.address);
    expect(reopened?.address).toBe(payer.address);
    const text = await readFile(join(port.dir, keyFile), 'utf8');
    expect(text).toContain('"crypto"');
    // Swept: everything it holds comes back to the node account, and its key is retired (kept, never taken again).
    const nodeBefore = await node.balanceOf(node.account());
    expect(await payers.sweep(payer)).toBe(balance);
    expect((await node.balanceOf(node.account())) - nodeBefore).toBe(balance);
    expect(await readdir(join(port.dir, 'retired'))).toEqual([keyFile]);
    const restarted = new FreshPayers(ctx, port, 'job payer');
    await restarted.load();
    expect(restarted.isPayer(payer.address)).toBe(true);
    expect(await restarted.open(payer.address)).toBeDefined();
  });

  it('takes a funded, unused spare after a restart unless a pending ticket reserved it; a bound payer again', async () => {
    const first = new FreshPayers(ctx, { ...port, dir: join(dir, 'spares') }, 'job payer');
    const spare = await first.take(3n * AIC, new AbortController().signal);
    // "Restart": another instance on the same directory.
    const reserved = new FreshPayers(ctx, { ...port, dir: join(dir, 'spares') }, 'job payer');
    const other = await reserved.take(AIC, new AbortController().signal, {
      reserved: new Set([spare.address.toLowerCase()]),
    });
    expect(other.address).not.toBe(spare.address);
    const again = await reserved.take(AIC, new AbortController().signal, { prefer: spare.address });
    expect(again.address).toBe(spare.address);
    const restarted = new FreshPayers(ctx, { ...port, dir: join(dir, 'spares') }, 'job payer');
    const reused = await restarted.take(AIC, new AbortController().signal, {
      reserved: new Set([other.address.toLowerCase()]),
    });
    expect(reused.address).toBe(spare.address);
  });

  it("escrows a requester's job from its payer and sweeps an expired job's refund back", async () => {
    const store = new JobStore(join(dir, 'jobs'));
    const payers = new JobPayers(ctx, { ...port, dir: join(dir, 'job-payers') }, store);
    const ticket = new TextEncoder().encode(JSON.stringify({ nonce: 'fresh-payers test' }));
    const specHash = await store.beginEscrow(ticket, { step: 'escrowed' });
    const block = await publicClient.getBlock();
    const request = {
      datasetId: 0,
      modelId: 0,
      providerBudgetWei: 4n * AIC,
      verifierFeeWei: AIC,
      minHwClass: 0,
      checkpointCount: 4,
      deadline: Number(block.timestamp) + 3_600,
      specHash,
    };
    const { totalWei } = await node.quoteJob(request);
    const nodeBefore = await node.balanceOf(node.account());
    const escrowed = await payers.escrow(specHash, request, totalWei, new AbortController().signal);
    expect(escrowed.escrowWei).toBe(totalWei);
    // The job's requester on chain is the payer, which the pending ticket names (a restart looks for it there).
    const job = await node.market.read.jobOf([escrowed.jobId]);
    expect(job.requester).toBe(escrowed.payer);
    expect(await store.pendingPayer(specHash)).toBe(escrowed.payer);
    expect(payers.isPayer(escrowed.payer)).toBe(true);
    // The same ticket sent again (a keyed submit whose answer was lost) finds that escrow: no second job.
    await store.beginEscrow(ticket, { step: 'escrowed' });
    const again = await payers.escrow(specHash, request, totalWei, new AbortController().signal);
    expect(again).toEqual(escrowed);
    const record = await store.completeEscrow(escrowed.jobId, ticket, { step: 'escrowed', payer: escrowed.payer });
    // The requester may expire its unassigned job: with the payer's key (the node account is not its requester).
    const requester = await payers.requesterOf(record);
    expect(requester.ledger.account()).toBe(escrowed.payer);
    await requester.ledger.confirm('expireJob', () => requester.ledger.market.write.expireJob([escrowed.jobId]));
    await payers.sweepWhenFinal(record);
    expect(record.state.payerSwept).toBe(true);
    expect(await node.balanceOf(escrowed.payer)).toBe(0n);
    expect(await node.market.read.owed([escrowed.payer])).toBe(0n);
    expect(await node.balanceOf(node.account())).toBe(nodeBefore);
    await payers.sweepWhenFinal(record); // again: nothing to do
  });
});

function getAddressLower(address: string | undefined): string | undefined {
  return address?.toLowerCase();
}
