#!/usr/bin/env node
// The installed `aic` command. Runs the JavaScript build in ../dist (`npm run build:cli`, which `npm install` and
// `npm ci` run through the root `prepare`) while it is current; falls back to the TypeScript sources through tsx when
// there is no build, or when a source file that went into it changed since (so an edited checkout never runs stale
// code). AIC_CLI_FROM_SOURCE=1 forces the sources.
import { readFileSync, statSync } from 'node:fs';

const cliDir = new URL('../', import.meta.url);

/** True when dist/build-info.json exists and none of the workspace files it lists is newer than the build. */
function buildIsCurrent() {
  if (process.env.AIC_CLI_FROM_SOURCE === '1') return false;
  try {
    const info = JSON.parse(readFileSync(new URL('dist/build-info.json', cliDir), 'utf8'));
    for (const input of info.inputs) {
      if (statSync(new URL(input, cliDir)).mtimeMs > info.builtAtMs) return false;
    }
    return info.inputs.length > 0;
  } catch {
    return false;
  }
}

if (buildIsCurrent()) {
  await import('../dist/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
