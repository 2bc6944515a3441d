/**
 * PLAZA, the offers table, the node page, the job page and wallet connect in Chromium (issue 14): the demo's dataset,
 * model and TrainedAI (price per use, owner, lineage) and the GPU offers, on a laptop and a phone width, by keyboard,
 * with no console error; search with inline errors; a dataset published through the requester node opened on its
 * asset page, where every row of its verifiable preview is checked in the browser against the root read through the
 * wallet (a tampered proof shows "not verified"); uses bought from the wallet (its balance drops by the price, the
 * uses count rises, the asset's on-chain use shows them); model and Trained AI cards with their I/O dictionary and the
 * Trained AI's evaluation, the offers table with each provider's track record and RTT. axe-core on every page;
 * screenshots in test-results/web/.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Address, createPublicClient, http, parseAbi, toHex } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { expect, it } from 'vitest';
import { expectNoSeriousViolations } from '../helpers/axe.ts';
import { openWatchedPage } from '../helpers/browser.ts';
import { requesterPost, writeIrisDatasetDir } from '../helpers/publish-assets.ts';
import { injectTestWallet, walletCalls } from '../helpers/test-wallet.ts';
import { SHOTS, type WebContext, type WebContextRef } from './context.ts';

/** Hardhat's public development mnemonic; account 18 is a funded user no devnet node and no other scenario signs with. */
const DEV_MNEMONIC = 'test test test test test test test test test test test junk';
const BUYER = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 18 });
const CHAIN_ID = 31_337;
const plazaReadAbi = parseAbi([
  'function balanceOf(address owner) view returns (uint256)',
  'function usesLeft(uint256 tokenId, address user) view returns (uint256)',
]);

function rpcUrlOf(ctx: WebContext): string {
  const line = ctx.devnet.lines.find((l) => /ready in .* RPC http/.test(l)) ?? '';
  const url = /RPC (http:\/\/[^\s,]+)/.exec(line)?.[1];
  if (url === undefined) throw new Error('the devnet printed no RPC URL');
  return url;
}

/** The requester node (node 0) publishes the Iris examples through its API, like a member's own dataset. */
async function publishThroughRequester(ctx: WebContext): Promise<string> {
  const dir = await writeIrisDatasetDir('plaza-iris', 1);
  try {
    const published = await requesterPost(ctx.devnet.webUrl, ctx.devnet.dataDir, '/v1/datasets/publish', {
      dir,
      pricePerUseAic: '2',
    });
    return published.datasetId!;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function plazaScenarios(ctx: WebContextRef): void {
  it('serves the client at / with a CSP, keeps the API under /v1 and refuses foreign-origin writes', async () => {
    const url = ctx().devnet.webUrl;
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<div id="root">');
    const unknown = await fetch(new URL('/no-such-page', url));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe('API_ROUTE_NOT_FOUND');
    const foreign = await fetch(new URL('/v1/offers', url), {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(foreign.status).toBe(403);
    const noToken = await fetch(new URL('/v1/rewards/claim', url), { method: 'POST' });
    expect(noToken.status).toBe(401);
  });

  it('shows PLAZA with the devnet assets and the GPU offers table, without console errors', async () => {
    const { page, problems } = await openWatchedPage(ctx().browser, { width: 1280, height: 900 });
    await page.goto(ctx().devnet.webUrl);
    const cards = page.getByTestId('plaza-assets').locator('li');
    await expect.poll(() => cards.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    const text = await page.getByTestId('plaza-assets').textContent();
    for (const kind of ['Dataset#', 'Model#', 'Trained AI#']) expect(text).toContain(kind);
    expect(text).toMatch(/2 AIC/); // the Iris dataset's price per use
    expect(text).toMatch(/from #\d+ \(30\s%\)/); // the TrainedAI's lineage
    const rows = page.getByTestId('offers-table').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    // The providers' machines as they announced them (this machine's GPU Vessels have no GPU: "CPU only").
    expect(await page.getByTestId('offers-table').textContent()).toMatch(/CPU only|\d+ × \S+ \(/);
    // Each provider's standing read on chain: its proven (staked) class and stake.
    await expect
      .poll(() => page.getByTestId('offers-table').locator('tbody tr').first().textContent(), { timeout: 15_000 })
      .toMatch(/class \d+|not staked/);
    // Reputation from ComputeMarket's events (the demo job's provider settled it) and location as a Vivaldi RTT.
    await expect
      .poll(() => page.getByTestId('offers-table').textContent(), { timeout: 15_000 })
      .toMatch(/[1-9]\d* of \d+ settled/);
    for (const cell of await page.getByTestId('offer-location').allTextContents()) {
      expect(cell).toMatch(/^(≈ \d+ ms|this node|unknown|…)$/);
    }
    // Every card's on-chain use and its owner's PoV score; model cards their I/O, the Trained AI its evaluation.
    expect(text).toMatch(/\d+ uses? sold \(/);
    expect(text).toContain("Owner's PoV score");
    const trainedCard = page.locator('li[data-kind="TrainedAI"]').first();
    // node 0 settled the demo job: it holds the job's ticket (the manifest) and the provider's progress lines
    expect(await trainedCard.getByTestId('card-io').textContent()).toContain('→');
    expect(await trainedCard.getByTestId('card-evaluation').textContent()).toMatch(/loss \d+\.\d{4}/);
    expect(await page.locator('li[data-kind="Model"]').first().getByTestId('card-io').textContent()).toMatch(
      /→|not known to this node/,
    );
    await expectNoSeriousViolations(page);
    await page.screenshot({ path: join(SHOTS, 'plaza-desktop.png'), fullPage: true });

    await page.getByRole('radio', { name: 'Trained AIs' }).check();
    await expect.poll(() => cards.count()).toBe(1);
    await page.getByRole('radio', { name: 'All' }).check();
    expect(problems).toEqual([]);
  });

  it("opens the Trained AI's page: its I/O dictionary, hyperparameter schema and evaluation", async () => {
    const { page, problems } = await openWatchedPage(ctx().browser, { width: 1280, height: 900 });
    await page.goto(ctx().devnet.webUrl);
    const card = page.locator('li[data-kind="TrainedAI"]').first();
    await card.waitFor({ timeout: 30_000 });
    await card.getByRole('link', { name: /Details and buy/ }).click();
    await page.getByTestId('asset-page').waitFor();
    expect(await page.getByTestId('asset-standing').textContent()).toMatch(/\d+ uses? sold/);
    const io = await page.getByTestId('model-io').textContent();
    expect(io).toMatch(/Input/);
    expect(io).toMatch(/Output/);
    await page.getByTestId('hyperparameters').waitFor();
    expect(await page.getByTestId('evaluation').textContent()).toMatch(/Final loss\d+\.\d{4}/);
    await expectNoSeriousViolations(page);
    await page.screenshot({ path: join(SHOTS, 'asset-trained-ai.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('works on a phone width and by keyboard', async () => {
    const { page, problems } = await openWatchedPage(ctx().browser, { width: 390, height: 844 });
    await page.goto(ctx().devnet.webUrl);
    await page.getByTestId('plaza-assets').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectNoSeriousViolations(page);
    await page.screenshot({ path: join(SHOTS, 'plaza-phone.png'), fullPage: true });

    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    // Tab to the "GPU offers" link and follow it with Enter.
    for (let i = 0; i < 6; i++) {
      const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
      if (focused === 'GPU offers') break;
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'GPU offers' }).waitFor();
    await page.getByTestId('offers-table').waitFor();
    await expectNoSeriousViolations(page);
    await page.screenshot({ path: join(SHOTS, 'offers-phone.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('shows the node status and checks a job id inline', async () => {
    const { page, problems } = await openWatchedPage(ctx().browser, { width: 1280, height: 900 });
    await page.goto(new URL('#/node', ctx().devnet.webUrl).toString());
    await expect.poll(() => page.getByTestId('node-status').textContent(), { timeout: 15_000 }).toContain('requester');
    await expect.poll(() => page.getByTestId('node-status').textContent(), { timeout: 15_000 }).toMatch(/AIC \(chain/);
    await expectNoSeriousViolations(page);
    await page.screenshot({ path: join(SHOTS, 'node.png'), fullPage: true });

    await page.goto(new URL('#/job', ctx().devnet.webUrl).toString());
    await page.getByLabel('Job id').fill('not a job');
    await page.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('A job id is a positive whole number');
    await expectNoSeriousViolations(page);
    await page.screenshot({ path: join(SHOTS, 'job-invalid.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it("opens the demo job's page by its id: the job's on-chain state", async () => {
    const jobId = ctx()
      .devnet.lines.map((line) => /job #(\d+) escrowed/.exec(line)?.[1])
      .find((id) => id !== undefined);
    expect(jobId).toBeDefined();
    const { page, problems } = await openWatchedPage(ctx().browser, { width: 1280, height: 900 });
    await page.goto(new URL('#/job', ctx().devnet.webUrl).toString());
    await page.getByLabel('Job id').fill(jobId!);
    await page.keyboard.press('Enter');
    const status = page.getByTestId('job-status');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/State\s*Settled/);
    // Its training progress: the chart of what the provider streamed to this node, or the notice that none reached it
    // (a devnet without job roles runs the demo job in-process).
    await page
      .getByTestId('progress-chart')
      .or(page.getByTestId('progress-empty'))
      .first()
      .waitFor({ timeout: 30_000 });
    await expectNoSeriousViolations(page);
    await page.screenshot({ path: join(SHOTS, 'job.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('connects an injected EIP-1193 wallet and adds the devnet chain to it with one click', async () => {
    const address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
    const { page, problems } = await openWatchedPage(ctx().browser, { width: 1280, height: 900 });
    await injectTestWallet(page, address, 1);
    await page.goto(ctx().devnet.webUrl);
    await page.getByRole('button', { name: 'Connect wallet' }).click();
    await page.getByRole('button', { name: 'Connect injected wallet' }).click();
    const connected = page.getByTestId('wallet-connected');
    await expect.poll(() => connected.textContent(), { timeout: 15_000 }).toContain('0x90F7');
    expect(await connected.textContent()).toContain('other chain (1)');
    await page.getByRole('button', { name: 'Add devnet chain' }).click();
    await expect.poll(() => connected.textContent()).toContain('AIC devnet added to the wallet');
    const added = (await walletCalls(page)).find((call) => call.method === 'wallet_addEthereumChain');
    expect(added?.params).toEqual([
      expect.objectContaining({
        chainId: '0x7a69',
        chainName: 'AIC devnet',
        rpcUrls: [expect.stringMatching(/^http:/)],
      }),
    ]);
    await expect.poll(() => connected.textContent()).not.toContain('other chain');
    await expectNoSeriousViolations(page);
    await page.screenshot({ path: join(SHOTS, 'wallet.png') });
    expect(problems).toEqual([]);
  });

  it('searches PLAZA by id and kind, and refuses a malformed search inline', async () => {
    const { page, problems } = await openWatchedPage(ctx().browser, { width: 1280, height: 900 });
    await page.goto(ctx().devnet.webUrl);
    const cards = page.getByTestId('plaza-assets').locator('li');
    await expect.poll(() => cards.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    const search = page.getByLabel('Search assets');
    await search.fill('#1');
    await expect.poll(() => cards.count()).toBe(1);
    expect(await cards.first().textContent()).toContain('#1');
    await search.fill('trained ai');
    await expect.poll(() => cards.count()).toBeGreaterThanOrEqual(1);
    expect(new Set(await cards.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-kind'))))).toEqual(
      new Set(['TrainedAI']),
    );
    await search.fill('#abc');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('After # comes an asset id');
    expect(await search.getAttribute('aria-invalid')).toBe('true');
    await expectNoSeriousViolations(page);
    await page.screenshot({ path: join(SHOTS, 'plaza-search-invalid.png'), fullPage: true });
    await search.fill('');
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  let datasetId: string | undefined;
  it('publishes a dataset through the requester node (its owner node serves the preview)', async () => {
    datasetId = await publishThroughRequester(ctx());
    expect(Number(datasetId)).toBeGreaterThan(0);
  }, 300_000);

  it("opens the dataset's page: every preview row's proof verified in the browser against the root read through the wallet, the seed shown", async () => {
    if (datasetId === undefined) throw new Error('the dataset was not published');
    const rpcUrl = rpcUrlOf(ctx());
    const { page, problems } = await openWatchedPage(ctx().browser, { width: 1280, height: 900 });
    await injectTestWallet(page, BUYER.address, CHAIN_ID, { privateKey: toHex(BUYER.getHdKey().privateKey!), rpcUrl });
    await page.goto(ctx().devnet.webUrl);
    // From PLAZA to the card's page by its link, as a member would.
    await page.getByRole('link', { name: `Preview and buy asset #${datasetId}` }).click();
    await page.getByTestId('asset-page').waitFor();
    expect(page.url()).toContain(`#/asset/${datasetId}`);
    const verdict = page.getByTestId('preview-verdict');
    await expect.poll(() => verdict.textContent(), { timeout: 60_000 }).toContain('All 8 rows verified');
    const rows = page.getByTestId('preview-rows').locator('tbody tr');
    expect(await rows.count()).toBe(8);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-verified')))).toEqual(
      Array(8).fill('true'),
    );
    const served = (await (
      await fetch(new URL(`/v1/datasets/preview?datasetId=${datasetId}`, ctx().devnet.webUrl))
    ).json()) as { seed: string };
    expect(await page.getByTestId('preview-seed').textContent()).toBe(served.seed);
    const facts = await page.getByTestId('dataset-preview').textContent();
    expect(facts).toContain('read from the chain through your wallet');
    expect(facts).toContain('hash checked through the wallet');
    expect(await page.getByTestId('manifest-facts').textContent()).toMatch(/classification[\s\S]*F32 \[4\]/);
    // The root and the seed block were read through the wallet, from the chain itself.
    const methods = (await walletCalls(page)).map((c) => c.method);
    expect(methods).toContain('eth_call');
    expect(methods).toContain('eth_getBlockByNumber');
    await expectNoSeriousViolations(page);
    await page.screenshot({ path: join(SHOTS, 'asset-dataset.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('shows "not verified" for a row whose proof the node tampered with', async () => {
    if (datasetId === undefined) throw new Error('the dataset was not published');
    const { page, problems } = await openWatchedPage(ctx().browser, { width: 1280, height: 900 });
    await page.route('**/v1/datasets/preview?*', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { rows: Array<{ chunks: Array<{ proof: string[]; bytes: string }> }> };
      const chunk = body.rows[3]!.chunks[0]!;
      // A one-shard, one-chunk dataset has an empty proof: tamper the chunk's bytes' proof path by adding a sibling.
      chunk.proof = [`0x${'00'.repeat(32)}`, ...chunk.proof];
      await route.fulfill({ response, json: body });
    });
    await page.goto(new URL(`#/asset/${datasetId}`, ctx().devnet.webUrl).toString());
    const verdict = page.getByTestId('preview-verdict');
    await expect.poll(() => verdict.textContent(), { timeout: 60_000 }).toContain('7 of 8 rows verified');
    expect(await verdict.textContent()).toContain('not verified');
    const flags = await page
      .getByTestId('preview-rows')
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-verified')));
    expect(flags).toEqual(['true', 'true', 'true', 'false', 'true', 'true', 'true', 'true']);
    expect(await page.getByTestId('preview-rows').textContent()).toContain('not verified');
    await expectNoSeriousViolations(page);
    await page.screenshot({ path: join(SHOTS, 'asset-preview-tampered.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('buys uses from the wallet: the wallet signs approve and buyUses, its balance drops by the price, the uses count rises', async () => {
    if (datasetId === undefined) throw new Error('the dataset was not published');
    const rpcUrl = rpcUrlOf(ctx());
    const contracts = (await (await fetch(new URL('/v1/plaza/contracts', ctx().devnet.webUrl))).json()) as {
      token: Address;
      plaza: Address;
    };
    const chain = createPublicClient({ transport: http(rpcUrl) });
    const read = () =>
      Promise.all([
        chain.readContract({
          address: contracts.token,
          abi: plazaReadAbi,
          functionName: 'balanceOf',
          args: [BUYER.address],
        }),
        chain.readContract({
          address: contracts.plaza,
          abi: plazaReadAbi,
          functionName: 'usesLeft',
          args: [BigInt(datasetId!), BUYER.address],
        }),
      ]);
    const [balanceBefore, usesBefore] = await read();
    const { page, problems } = await openWatchedPage(ctx().browser, { width: 390, height: 844 });
    await injectTestWallet(page, BUYER.address, CHAIN_ID, { privateKey: toHex(BUYER.getHdKey().privateKey!), rpcUrl });
    await page.goto(new URL(`#/asset/${datasetId}`, ctx().devnet.webUrl).toString());
    const uses = page.getByLabel('Uses', { exact: true });
    await uses.waitFor();
    await uses.fill('0');
    await page.getByRole('button', { name: 'Buy uses with wallet' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('at least 1');
    await uses.fill('2.5');
    await page.getByRole('button', { name: 'Buy uses with wallet' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('whole number');
    await uses.fill('9999999');
    await page.getByRole('button', { name: 'Buy uses with wallet' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('At most 100,000 uses');
    await page.screenshot({ path: join(SHOTS, 'asset-buy-invalid.png'), fullPage: true });
    expect((await walletCalls(page)).some((c) => c.method === 'eth_sendTransaction')).toBe(false);

    await uses.fill('3');
    expect(await page.getByTestId('buy-total').textContent()).toContain('Total 6 AIC');
    await page.getByRole('button', { name: 'Buy uses with wallet' }).click();
    const result = page.getByTestId('purchase-result');
    await result.waitFor({ timeout: 120_000 });
    const [balanceAfter, usesAfter] = await read();
    expect(balanceBefore - balanceAfter).toBe(6n * 10n ** 18n);
    expect(usesAfter - usesBefore).toBe(3n);
    expect(await page.getByTestId('uses-left').textContent()).toBe(usesAfter.toString());
    const sent = (await walletCalls(page)).filter((c) => c.method === 'eth_sendTransaction');
    expect(sent).toHaveLength(2); // approve, then Plaza.buyUses: both signed by the wallet
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // the purchase is the dataset's on-chain use now (UsesBought: 3 uses, 6 AIC)
    await page.reload();
    await expect
      .poll(() => page.getByTestId('asset-standing').textContent(), { timeout: 30_000 })
      .toMatch(/^3 uses sold \(6(\.0+)? AIC\)/);
    await expectNoSeriousViolations(page);
    await page.screenshot({ path: join(SHOTS, 'asset-bought-phone.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 180_000);
}
