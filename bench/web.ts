/**
 * `npm run bench -- web [--runs N]`: the web client's weight and speed. Builds apps/web (`npm run build:web`), sums
 * the gzip size (level 9, as the node serves it) of the JavaScript the first page loads (index.html's module script
 * and its modulepreloads; lazily loaded pages such as the job chart and the wallet are not in it), then starts a small
 * real devnet and measures in headless Chromium the time from navigation to a usable PLAZA (asset cards and the GPU
 * offers table rendered from the node's API), N times (default 5) in fresh browser contexts (cold cache).
 * Last line: {"bench":"web","initialJsKb":…,"plazaReadyMs":…(p50),…}; the goal is initialJsKb <= 250.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { chromiumAvailable, launchChromium } from '../apps/web/test/helpers/browser.ts';
import { REPO_ROOT, startWebDevnet } from '../apps/web/test/helpers/web-devnet.ts';

const WEB = join(REPO_ROOT, 'apps', 'web');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Math.max(1, Number(values.runs));

/** The JS files index.html makes the browser fetch before anything is lazily imported. */
function initialScripts(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)) found.add(m[1]!);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) found.add(m[1]!);
  return [...found];
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  await build({ root: WEB, logLevel: 'warn' });
  const html = readFileSync(join(WEB, 'dist', 'index.html'), 'utf8');
  const scripts = initialScripts(html);
  const gzipBytes = scripts.reduce(
    (sum, src) => sum + gzipSync(readFileSync(join(WEB, 'dist', src)), { level: 9 }).length,
    0,
  );
  const rawBytes = scripts.reduce((sum, src) => sum + readFileSync(join(WEB, 'dist', src)).length, 0);
  const initialJsKb = Math.round((gzipBytes / 1024) * 10) / 10;
  console.log(`initial JS: ${scripts.join(', ')}: ${initialJsKb} KB gzip (${Math.round(rawBytes / 1024)} KB raw)`);
  if (!chromiumAvailable()) throw new Error('bench web needs /usr/bin/chromium (apt-get install -y chromium)');

  // PLAZA needs the demo assets, not the job roles: the 3-node devnet (its demo job runs in-process) is enough.
  const devnet = await startWebDevnet(3);
  const browser = await launchChromium();
  try {
    await devnet.assetsMinted;
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(devnet.webUrl);
      await page.getByTestId('plaza-assets').locator('li').first().waitFor();
      await page.getByTestId('offers-table').locator('tbody tr').first().waitFor();
      times.push(Math.round(performance.now() - started));
      await context.close();
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`PLAZA ready (ms): ${times.join(', ')}`);
    console.log(
      JSON.stringify({
        bench: 'web',
        initialJsKb,
        initialJsRawKb: Math.round(rawBytes / 1024),
        initialJsFiles: scripts.length,
        goalInitialJsKb: 250,
        plazaReadyMs: percentile(sorted, 50),
        plazaReadyMsP90: percentile(sorted, 90),
        runs: RUNS,
        load1: Math.round(loadavg()[0]! * 10) / 10,
      }),
    );
  } finally {
    await browser.close();
    await devnet.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
