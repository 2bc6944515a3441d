/**
 * PLAZA, the offers table, the node page, the job page and wallet connect in Chromium (issue 14's first slice): the
 * demo's dataset, model and TrainedAI (price per use, owner, lineage) and the GPU offers, on a laptop and a phone
 * width, by keyboard, with no console error. Screenshots go to test-results/web/.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openWatchedPage } from '../helpers/browser.ts';
import { injectTestWallet, walletCalls } from '../helpers/test-wallet.ts';
import { SHOTS, type WebContextRef } from './context.ts';

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
    expect(await page.getByTestId('offers-table').textContent()).toContain('NVIDIA H100');
    await page.screenshot({ path: join(SHOTS, 'plaza-desktop.png'), fullPage: true });

    await page.getByRole('radio', { name: 'Trained AIs' }).check();
    await expect.poll(() => cards.count()).toBe(1);
    await page.getByRole('radio', { name: 'All' }).check();
    expect(problems).toEqual([]);
  });

  it('works on a phone width and by keyboard', async () => {
    const { page, problems } = await openWatchedPage(ctx().browser, { width: 390, height: 844 });
    await page.goto(ctx().devnet.webUrl);
    await page.getByTestId('plaza-assets').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
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
    await page.screenshot({ path: join(SHOTS, 'offers-phone.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('shows the node status and checks a job id inline', async () => {
    const { page, problems } = await openWatchedPage(ctx().browser, { width: 1280, height: 900 });
    await page.goto(new URL('#/node', ctx().devnet.webUrl).toString());
    await expect.poll(() => page.getByTestId('node-status').textContent(), { timeout: 15_000 }).toContain('requester');
    await expect.poll(() => page.getByTestId('node-status').textContent(), { timeout: 15_000 }).toMatch(/AIC \(chain/);
    await page.screenshot({ path: join(SHOTS, 'node.png'), fullPage: true });

    await page.goto(new URL('#/job', ctx().devnet.webUrl).toString());
    await page.getByLabel('Job id').fill('not a job');
    await page.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('A job id is a positive whole number');
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
    await page.getByTestId('progress-empty').waitFor(); // the demo job ran in-process: no provider streamed to this node
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
    await page.screenshot({ path: join(SHOTS, 'wallet.png') });
    expect(problems).toEqual([]);
  });
}
