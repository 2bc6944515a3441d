/**
 * axe-core in the page under test (issue 14: "an axe-core check finds no serious accessibility violation"). The
 * engine is evaluated through the DevTools protocol rather than added as a <script> tag: the node's CSP
 * (`script-src 'self'`) rightly refuses inline scripts, and the check must run against the page as served.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
let axeSource: Promise<string> | undefined;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/** Violations of impact serious or critical on the page as it is now (WCAG 2 A/AA and best practices). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  const source = await axeSource;
  // A string is evaluated by the protocol as a script, outside the page's CSP (an in-page eval would be refused).
  const loaded = await page.evaluate(() => (window as unknown as { axe?: unknown }).axe !== undefined);
  if (!loaded) await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: unknown }> } })
      .axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations as AxeViolation[];
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Fails with each serious or critical violation (rule, help, the first elements) on the page as it is now. */
export async function expectNoSeriousViolations(page: Page): Promise<void> {
  const found = await seriousViolations(page);
  if (found.length === 0) return;
  const lines = found.map(
    (v) =>
      `${v.impact} ${v.id}: ${v.help} — ${v.nodes
        .slice(0, 3)
        .map((n) => JSON.stringify(n.target))
        .join(', ')}${v.nodes.length > 3 ? ` (+${v.nodes.length - 3})` : ''}`,
  );
  throw new Error(
    `axe-core found ${found.length} serious accessibility violation(s) on ${page.url()}:\n${lines.join('\n')}`,
  );
}
