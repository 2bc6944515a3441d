/**
 * The Vessel dashboards and the Explorer in Chromium (issue 14): the demo's members see the demo job's earnings on
 * their dashboards (the GPU Vessel its provider payment, the data owner its dataset and model fees, the requester its
 * job), the data owner claims its Proof-of-Value reward from the dashboard with its own wallet (its AIC balance rises
 * by exactly the amount shown), the node-owner claim takes the API token once (inline errors for a malformed token,
 * the node's refusal shown inline), the Explorer shows the demo job's timeline with every chain event of the job
 * (checked against the chain's logs read here), search by transaction hash and address opens them, and bad search
 * input gets an inline error. axe-core on every page; screenshots in test-results/web/.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { type Address, createPublicClient, http, parseAbi, toEventSelector, toHex } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousViolations } from '../helpers/axe.ts';
import { openWatchedPage } from '../helpers/browser.ts';
import { injectTestWallet } from '../helpers/test-wallet.ts';
import { SHOTS, type WebContext, type WebContextRef } from './context.ts';

/** Hardhat's public development mnemonic; the devnet's members are accounts 12 (requester) to 15 (data owner). */
const DEV_MNEMONIC = 'test test test test test test test test test test test junk';
const member = (index: number) => mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index });
const REQUESTER = member(12);
const DATA_OWNER = member(15);
const CHAIN_ID = 31_337;
const tokenAbi = parseAbi(['function balanceOf(address owner) view returns (uint256)']);
/** Every ComputeMarket event of a job (jobId its first indexed argument), as ComputeMarket.sol declares them. */
const JOB_EVENTS = [
  'JobCreated(uint256,address,uint32,uint32,bytes32,uint96)',
  'JobEscrowed(uint256,uint96)',
  'JobAssigned(uint256,address,uint96,uint256)',
  'JobStarted(uint256,address)',
  'ResultCommitted(uint256,address,bytes32,string)',
  'VerifierRedrawn(uint256,address)',
  'VerdictSubmitted(uint256,address,bool)',
  'JobDisputed(uint256,address)',
  'DisputeResolved(uint256,bool,address)',
  'ProviderSlashed(uint256,address,uint96)',
  'JobSettled(uint256,uint96,uint96,uint96,uint96,uint96,uint96)',
  'JobPreempted(uint256,address,uint16,uint96)',
  'JobReassigned(uint256,address,uint96,uint256,uint16)',
  'JobExpired(uint256)',
  'JobRefunded(uint256,address,uint96)',
];
/** A refusal that is the point of the step that asks for it (nothing found, nothing to claim). */
const EXPECTED_REFUSAL =
  /^(HTTP (404|409): \S+\/v1\/(explorer\/search|rewards\/claim)|console: Failed to load resource: the server responded with a status of (404|409))/;

export function rpcUrlOf(ctx: WebContext): string {
  const line = ctx.devnet.lines.find((l) => /ready in .* RPC http/.test(l)) ?? '';
  const url = /RPC (http:\/\/[^\s,]+)/.exec(line)?.[1];
  if (url === undefined) throw new Error('the devnet printed no RPC URL');
  return url;
}

export function demoJobId(ctx: WebContext): string {
  const id = ctx.devnet.lines.map((line) => /job #(\d+) escrowed/.exec(line)?.[1]).find((x) => x !== undefined);
  if (id === undefined) throw new Error('the devnet printed no demo job');
  return id;
}

async function api<T>(ctx: WebContext, path: string): Promise<T> {
  const response = await fetch(new URL(path, ctx.devnet.webUrl));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function totalsOn(page: Page): Promise<Record<string, bigint>> {
  const cells = page.getByTestId('earnings-totals').locator('[data-source]');
  await cells.first().waitFor();
  const out: Record<string, bigint> = {};
  for (const cell of await cells.all()) {
    out[(await cell.getAttribute('data-source'))!] = BigInt((await cell.getAttribute('data-wei'))!);
  }
  return out;
}

async function showAccount(page: Page, address: string): Promise<void> {
  await page.getByRole('radio', { name: 'Any account' }).check();
  await page.getByLabel('Account address').fill(address);
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator(`[data-testid="dashboard"][data-address="${address}"]`).waitFor();
}

/**
 * Registers the Explorer's tests, then the dashboards' (the last of them closes the rewards epoch by moving the
 * chain's clock an hour: register this file after every scenario whose jobs have deadlines).
 */
export function dashboardScenarios(ctx: WebContextRef): void {
  describe('Explorer', () => explorerTests(ctx));
  describe('dashboards', () => dashboardTests(ctx));
}

function dashboardTests(ctx: WebContextRef): void {
  it("shows the demo members' earnings from the demo job on their dashboards", async () => {
    const jobId = demoJobId(ctx());
    const job = await api<{ settlement: Record<string, string> | null; provider: string | null }>(
      ctx(),
      `/v1/explorer/job?jobId=${jobId}`,
    );
    expect(job.settlement).not.toBeNull();
    const provider = job.provider!; // one of the two GPU Vessels, drawn by the chain's seed
    const { page, problems } = await openWatchedPage(ctx().browser, { width: 1280, height: 900 });
    await page.goto(new URL('#/dashboard', ctx().devnet.webUrl).toString());
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();

    // A malformed address is refused inline, before anything is asked of the node.
    await page.getByRole('radio', { name: 'Any account' }).check();
    await page.getByLabel('Account address').fill('0x1234');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('0x followed by 40 hex digits');
    await page.screenshot({ path: join(SHOTS, 'dashboard-invalid.png'), fullPage: true });

    // The GPU Vessel that ran the job: its provider payment, its stake and the job.
    await showAccount(page, provider);
    const gpu = page.getByTestId('gpu-vessel');
    await gpu.waitFor();
    const providerTotals = await totalsOn(page);
    expect(providerTotals.compute).toBeGreaterThanOrEqual(BigInt(job.settlement!.providerPaid!));
    expect(await gpu.textContent()).toContain('registered on chain');
    expect(await page.getByTestId('gpu-jobs').textContent()).toMatch(new RegExp(`#${jobId}\\s*provider\\s*Settled`));
    await expect.poll(() => page.getByTestId('earnings-chart').getAttribute('data-points')).not.toBe('0');
    await page.screenshot({ path: join(SHOTS, 'dashboard-gpu.png'), fullPage: true });
    await expectNoSeriousViolations(page);

    // The data owner: the job's dataset fee and model fee, on the Data and Model Vessel sections.
    await showAccount(page, DATA_OWNER.address);
    await page.getByTestId('data-vessel').waitFor();
    await page.getByTestId('model-vessel').waitFor();
    const ownerTotals = await totalsOn(page);
    expect(ownerTotals.data).toBeGreaterThanOrEqual(BigInt(job.settlement!.datasetFee!));
    expect(ownerTotals.model).toBeGreaterThanOrEqual(BigInt(job.settlement!.modelFee!));
    expect(ownerTotals.total).toBe(Object.entries(ownerTotals).reduce((s, [k, v]) => (k === 'total' ? s : s + v), 0n));
    expect(await page.getByTestId('rewards').textContent()).toMatch(/Epoch 0|epoch/i);
    await page.screenshot({ path: join(SHOTS, 'dashboard-data-owner.png'), fullPage: true });
    await expectNoSeriousViolations(page);

    // Node-owner mode: the requester node's own account, with the demo job it requested.
    await page.getByRole('radio', { name: "This node's account" }).check();
    await page.locator(`[data-testid="dashboard"][data-address="${REQUESTER.address}"]`).waitFor();
    await expect.poll(() => page.getByTestId('requested-jobs').textContent()).toContain(`#${jobId}`);
    expect(problems).toEqual([]);
  });

  it('works on a phone width: no horizontal overflow', async () => {
    const { page, problems } = await openWatchedPage(ctx().browser, { width: 390, height: 844 });
    await page.goto(new URL(`#/dashboard/${DATA_OWNER.address}`, ctx().devnet.webUrl).toString());
    await page.getByTestId('data-vessel').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, 'dashboard-phone.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it("node-owner mode takes the API token once and shows the node's refusal inline", async () => {
    const keystoreLine = ctx().devnet.lines.find((l) => /node 0 .*keystore=/.test(l)) ?? '';
    const nodeDir = /keystore=(\S+)\/keystore\//.exec(keystoreLine)?.[1];
    expect(nodeDir).toBeDefined();
    const token = (await readFile(join(nodeDir!, 'node', 'api-token'), 'utf8')).trim();
    const { page, problems } = await openWatchedPage(ctx().browser, { width: 1280, height: 900 });
    await page.goto(new URL('#/dashboard', ctx().devnet.webUrl).toString());
    await page.getByRole('radio', { name: "This node's account" }).check();
    const claim = page.getByTestId('claim');
    await claim.waitFor();
    await page.getByLabel('Node API token').fill('too short');
    await claim.getByRole('button', { name: /as the node/ }).click();
    await expect.poll(() => claim.getByRole('alert').textContent()).toContain('32 to 128 letters');
    await page.getByLabel('Node API token').fill(token);
    await claim.getByRole('button', { name: /as the node/ }).click();
    // The requester node earned no score in the demo: the node answers REWARDS_CONFLICT, and the page says so.
    await expect.poll(() => claim.getByRole('alert').textContent(), { timeout: 15_000 }).toContain('REWARDS_CONFLICT');
    expect(await claim.textContent()).toContain('API token kept for this tab');
    expect(await page.evaluate(() => window.sessionStorage.length)).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'dashboard-node-owner.png'), fullPage: true });
    await expectNoSeriousViolations(page);
    expect(problems.filter((p) => !EXPECTED_REFUSAL.test(p))).toEqual([]);
  });

  it("claims the data owner's reward from the dashboard with its wallet: the balance rises by the shown amount", async () => {
    const rpcUrl = rpcUrlOf(ctx());
    const chain = createPublicClient({ transport: http(rpcUrl) });
    const { token } = await api<{ token: Address }>(ctx(), '/v1/plaza/contracts');
    // Close epoch 0: the devnet's rater nodes then propose its scores, cross-check them and apply them after the
    // challenge window (seconds of chain time), which makes the data owner's reward claimable.
    await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'evm_increaseTime', params: [3_600] }),
    });
    const { page, problems } = await openWatchedPage(ctx().browser, { width: 1280, height: 900 });
    const privateKey = toHex(DATA_OWNER.getHdKey().privateKey!);
    await injectTestWallet(page, DATA_OWNER.address, CHAIN_ID, { privateKey, rpcUrl });
    await page.goto(new URL('#/dashboard', ctx().devnet.webUrl).toString());
    await page.getByRole('button', { name: 'Show my wallet’s dashboard' }).click();
    const shown = page.getByTestId('claim-now');
    await expect
      .poll(async () => BigInt((await shown.getAttribute('data-wei')) ?? '0'), { timeout: 120_000 })
      .toBeGreaterThan(0n);
    const shownWei = BigInt((await shown.getAttribute('data-wei'))!);
    expect(await page.getByTestId('reward-epochs').textContent()).toContain('finalized');
    await page.screenshot({ path: join(SHOTS, 'dashboard-rewards.png'), fullPage: true });
    const before = await chain.readContract({
      address: token,
      abi: tokenAbi,
      functionName: 'balanceOf',
      args: [DATA_OWNER.address],
    });
    await page.getByRole('button', { name: /^Claim .* AIC$/ }).click();
    const result = page.getByTestId('claim-result');
    await result.waitFor({ timeout: 60_000 });
    expect(BigInt((await result.getAttribute('data-wei'))!)).toBe(shownWei);
    const after = await chain.readContract({
      address: token,
      abi: tokenAbi,
      functionName: 'balanceOf',
      args: [DATA_OWNER.address],
    });
    expect(after - before).toBe(shownWei);
    // The claim is PoV income on the dashboard from now on, and nothing is left to claim.
    await expect.poll(async () => (await totalsOn(page)).rewards, { timeout: 30_000 }).toBeGreaterThanOrEqual(shownWei);
    await expect.poll(() => shown.getAttribute('data-wei'), { timeout: 30_000 }).toBe('0');
    await page.screenshot({ path: join(SHOTS, 'dashboard-claimed.png'), fullPage: true });
    await expectNoSeriousViolations(page);
    expect(problems).toEqual([]);
  });
}

function explorerTests(ctx: WebContextRef): void {
  it("shows the demo job's state timeline with every chain event of the job", async () => {
    const jobId = demoJobId(ctx());
    // Every ComputeMarket event naming the job, read from the chain here (jobId is the first indexed argument).
    const chain = createPublicClient({ transport: http(rpcUrlOf(ctx())) });
    const settledTx = (
      await api<{ timeline: Array<{ event: string; tx: string }> }>(ctx(), `/v1/explorer/job?jobId=${jobId}`)
    ).timeline.find((e) => e.event === 'JobSettled')?.tx as `0x${string}` | undefined;
    expect(settledTx).toBeDefined();
    const market = (await chain.getTransactionReceipt({ hash: settledTx! })).to!;
    // Raw eth_getLogs: viem's getLogs has no filter by topic alone.
    const logs = (await chain.request({
      method: 'eth_getLogs',
      params: [
        {
          address: market,
          fromBlock: '0x0',
          toBlock: 'latest',
          topics: [JOB_EVENTS.map((e) => toEventSelector(e)), toHex(BigInt(jobId), { size: 32 })],
        },
      ],
    })) as unknown[];
    expect(logs.length).toBeGreaterThanOrEqual(6);

    const { page, problems } = await openWatchedPage(ctx().browser, { width: 1280, height: 900 });
    await page.goto(new URL('#/explorer', ctx().devnet.webUrl).toString());
    await page.getByRole('heading', { level: 1, name: 'Explorer' }).waitFor();
    await page.getByTestId('explorer-blocks').waitFor();
    await page.getByTestId('explorer-jobs').locator(`a[href="#/explorer/job/${jobId}"]`).click();
    const rows = page.getByTestId('job-timeline').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(logs.length);
    const events = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-event')));
    for (const name of [
      'JobCreated',
      'JobEscrowed',
      'JobAssigned',
      'ResultCommitted',
      'VerdictSubmitted',
      'JobSettled',
    ]) {
      expect(events).toContain(name);
    }
    expect(await page.getByTestId('job-states').textContent()).toMatch(/Created.*Assigned.*Committed.*Settled/s);
    await page.screenshot({ path: join(SHOTS, 'explorer-job.png'), fullPage: true });
    await expectNoSeriousViolations(page);
    await page.goto(new URL('#/explorer', ctx().devnet.webUrl).toString());
    await page.getByTestId('explorer-jobs').waitFor();
    await page.screenshot({ path: join(SHOTS, 'explorer.png'), fullPage: true });
    await expectNoSeriousViolations(page);
    await page.goto(new URL('#/explorer/epochs', ctx().devnet.webUrl).toString());
    await page.getByTestId('explorer-epochs').waitFor();
    await page.screenshot({ path: join(SHOTS, 'explorer-epochs.png'), fullPage: true });
    await expectNoSeriousViolations(page);
    expect(problems).toEqual([]);
  });

  it('searches by transaction hash and by address; bad input gets an inline error', async () => {
    const jobId = demoJobId(ctx());
    const job = await api<{ timeline: Array<{ event: string; tx: string }> }>(ctx(), `/v1/explorer/job?jobId=${jobId}`);
    const settledTx = job.timeline.find((e) => e.event === 'JobSettled')!.tx;
    const { page, problems } = await openWatchedPage(ctx().browser, { width: 1280, height: 900 });
    await page.goto(new URL('#/explorer', ctx().devnet.webUrl).toString());
    const search = page.getByLabel('Search the chain');
    const error = page.getByTestId('search-error');

    for (const [input, message] of [
      ['hello', 'Not a block number'],
      ['0x1234', 'neither a transaction hash (64) nor an address (40)'],
      ['', 'Type a block number'],
    ] as const) {
      await search.fill(input);
      await search.press('Enter');
      await expect.poll(() => error.textContent()).toContain(message);
    }
    expect(await search.getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: join(SHOTS, 'explorer-search-invalid.png'), fullPage: true });
    await expectNoSeriousViolations(page);
    await search.fill('999999999');
    await search.press('Enter');
    await expect.poll(() => error.textContent()).toContain('Nothing on this chain matches 999999999');

    await search.fill(settledTx);
    await search.press('Enter');
    const tx = page.getByTestId('explorer-tx');
    await tx.waitFor();
    expect(await tx.textContent()).toContain('ComputeMarket.settleJob');
    expect(await page.getByTestId('tx-events').textContent()).toContain('JobSettled');
    await page.screenshot({ path: join(SHOTS, 'explorer-tx.png'), fullPage: true });
    await expectNoSeriousViolations(page);

    await page.getByLabel('Search the chain').fill(DATA_OWNER.address);
    await page.getByLabel('Search the chain').press('Enter');
    const account = page.getByTestId('explorer-account');
    await account.waitFor();
    expect(await account.textContent()).toMatch(/Dataset #\d+/);
    // Its dataset's mint (its ScoreRecorded comes once the raters applied epoch 0: the dashboards' claim test).
    expect(await page.getByTestId('account-events').textContent()).toContain('AssetMinted');
    await page.screenshot({ path: join(SHOTS, 'explorer-account.png'), fullPage: true });
    await expectNoSeriousViolations(page);
    expect(problems.filter((p) => !EXPECTED_REFUSAL.test(p))).toEqual([]);
  });

  it('works on a phone width and by keyboard', async () => {
    const jobId = demoJobId(ctx());
    const { page, problems } = await openWatchedPage(ctx().browser, { width: 390, height: 844 });
    await page.goto(new URL(`#/explorer/job/${jobId}`, ctx().devnet.webUrl).toString());
    await page.getByTestId('job-timeline').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, 'explorer-job-phone.png'), fullPage: true });
    await page.goto(new URL('#/explorer', ctx().devnet.webUrl).toString());
    await page.getByLabel('Search the chain').focus();
    await page.keyboard.type(jobId);
    await page.keyboard.press('Enter');
    await page.getByTestId('search-matches').waitFor(); // a number names a block, a job and maybe an asset
    await page
      .getByTestId('search-matches')
      .getByRole('link', { name: `job #${jobId}` })
      .focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('explorer-job').waitFor();
    expect(problems).toEqual([]);
  });
}
