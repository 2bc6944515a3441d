#!/usr/bin/env node
// Builds the web client (apps/web/dist), which every node serves at `/`. `--if-possible` (root `prepare`): a failed
// build says so in one line and `npm install` goes on; the node then answers `/` with how to build it.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ifPossible = process.argv.includes('--if-possible');
const started = Date.now();
try {
  const { build } = await import('vite');
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  console.log(`web: built apps/web/dist in ${Date.now() - started} ms`);
} catch (error) {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  if (!ifPossible) throw error;
  console.log(`web: not built (${reason}); run npm run build:web`);
}
