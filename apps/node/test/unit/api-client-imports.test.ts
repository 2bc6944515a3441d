import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const srcDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g;

/** Every module the typed client loads, following relative imports from api/client.ts; and the packages they name. */
function clientImportGraph(): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT_RE)) {
      const spec = match[1] ?? '';
      if (spec.startsWith('.')) visit(join(dirname(file), spec));
      else packages.add(spec);
    }
  };
  visit(join(srcDir, 'api/client.ts'));
  return { files, packages };
}

describe('the typed API client', () => {
  it('imports only the shared route, schema and error-body modules, never server code', () => {
    const { files, packages } = clientImportGraph();
    const relative = [...files].map((f) => f.slice(srcDir.length + 1)).sort();
    expect(relative).toEqual(
      [
        'api/client.ts',
        'api/error-body.ts',
        'api/explorer-routes.ts',
        'api/explorer-schemas.ts',
        'api/plaza-schemas.ts',
        'api/routes.ts',
        'api/schemas.ts',
        'data/preview-schemas.ts',
        'jobs/adopt-routes.ts',
        'jobs/adopt-schemas.ts',
        'jobs/job-schemas.ts',
        'jobs/switching-routes.ts',
        'jobs/switching-schemas.ts',
      ].sort(),
    );
    // A package's root pulls in all of it (libp2p, tfjs, viem clients); a small subpath module (schemas only) is fine.
    const heavy = /fastify|pino|prom-client|^@aic\/(ledger|network|gpu-vessel)$/;
    expect([...packages].filter((p) => heavy.test(p))).toEqual([]);
  });
});
