/**
 * The web client in real Chromium against one real devnet (issue 14): the requester node serves the client at `/`.
 * One devnet and one browser for every scenario (each scenario file under ../scenarios registers its tests), because a
 * devnet with its demo job costs minutes on 2 cores.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { chromiumAvailable, launchChromium } from '../helpers/browser.ts';
import { REPO_ROOT, startWebDevnet, type WebDevnet } from '../helpers/web-devnet.ts';
import { SHOTS, type WebContext } from '../scenarios/context.ts';
import { dashboardScenarios } from '../scenarios/dashboards.ts';
import { plazaScenarios } from '../scenarios/plaza.ts';
import { wizardScenarios } from '../scenarios/wizard.ts';

/** The devnet's start and its demo job (dataset, model, training, TrainedAI): a hang guard, minutes under load. */
const DEVNET_READY_MS = Number(process.env.AIC_WEB_DEVNET_READY_MS ?? 900_000); // 7 nodes (the job roles) on a loaded 2-core machine
const runs = chromiumAvailable() || process.env.CI !== undefined;
if (!runs)
  console.warn('web e2e skipped: /usr/bin/chromium is absent (apt-get install -y chromium); CI always runs it');

/** Whether apps/web/dist is missing or older than a source file (the node serves dist: a stale build tests old pages). */
function webBuildIsStale(): boolean {
  const index = join(REPO_ROOT, 'apps', 'web', 'dist', 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const newer = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newer(path) : statSync(path).mtimeMs > built;
    });
  return newer(join(REPO_ROOT, 'apps', 'web', 'src'));
}

describe.skipIf(!runs)('web client in Chromium against a devnet', () => {
  let devnet: WebDevnet | undefined;
  let browser: Browser | undefined;
  const ctx = (): WebContext => {
    if (devnet === undefined || browser === undefined) throw new Error('the devnet or the browser did not start');
    return { devnet, browser };
  };

  beforeAll(async () => {
    if (webBuildIsStale()) {
      const { build } = await import('vite');
      await build({ root: join(REPO_ROOT, 'apps', 'web'), logLevel: 'warn' });
    }
    await mkdir(SHOTS, { recursive: true });
    await writeFile(join(SHOTS, '..', '.gitignore'), '*\n'); // screenshots are results, not sources
    [devnet, browser] = await Promise.all([startWebDevnet(), launchChromium()]);
    await devnet.assetsMinted;
  }, DEVNET_READY_MS);
  afterAll(async () => {
    await browser?.close();
    await devnet?.stop();
  });

  describe('PLAZA, offers, node and job pages, wallet connect', () => plazaScenarios(ctx));
  describe('job wizard paid from the wallet, live job page', () => wizardScenarios(ctx));
  // Last: its claim moves the chain's clock past the rewards epoch.
  describe('Vessel dashboards, PoV claim and the Explorer', () => dashboardScenarios(ctx));
});
