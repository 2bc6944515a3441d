#!/usr/bin/env node
// Builds the `aic` executable: apps/cli/src/main.ts and the workspace packages it reaches, bundled to plain
// JavaScript in apps/cli/dist (ESM, code-split so each command's heavy modules load only when it runs).
//
// - Light npm packages used on every start (commander, viem, zod, noble) are bundled and tree-shaken; every other
//   npm package (libp2p, fastify, pino, TensorFlow.js, Hardhat, native addons) stays external and is loaded by Node
//   from node_modules when a command needs it.
// - Workspace sources keep their own `import.meta.url`, so files they locate next to themselves (the training
//   worker, template data, the Hardhat config) are still found in the checkout.
// - dist/build-info.json lists the workspace files that went in; bin/aic.js runs the build only while none of them
//   is newer than the build, and falls back to the TypeScript sources through tsx otherwise.
//
// Run: `npm run build:cli` (also run by the root `prepare` on `npm install` / `npm ci`, with --if-possible: no
// esbuild, e.g. `npm ci --omit=dev`, means no build, and bin/aic.js runs the sources). `--outdir <dir>` builds
// elsewhere (tests); the folder must be inside the checkout, so Node finds the external packages from it.
// `--entry <file.ts>` bundles another entry the same way: `npm run build:node` builds the bare node process
// (apps/node/src/main.ts → apps/node/dist, which apps/node/src/spawn.ts starts while it is current); build-info's
// inputs are then relative to that entry's package folder (the nearest one with a package.json), and the default
// output is that package's dist/ (`npm run build:worker`: the training worker, packages/gpu-vessel/dist).
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const cliDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(cliDir, '..', '..');
const { values: flags } = parseArgs({
  options: {
    outdir: { type: 'string' },
    entry: { type: 'string' },
    'if-possible': { type: 'boolean' },
    quiet: { type: 'boolean' },
  },
});
const entryFile = resolve(flags.entry ?? join(cliDir, 'src', 'main.ts'));
/** The package whose entry this is (nearest folder above it with a package.json): build-info's inputs are relative
 * to it, where its starter resolves them. */
const packageDir = (() => {
  let dir = dirname(entryFile);
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();
const outDir = resolve(flags.outdir ?? join(packageDir, 'dist'));

/** npm packages bundled into the CLI (tree-shaken); all others stay external. EthereumJS (the PoV chain's EVM) is
 * bundled because its version is packages/chain's own (10.x): Hardhat hoists an older, CommonJS @ethereumjs to the
 * root node_modules, which is what an external import from dist/ would load. */
const BUNDLED_PACKAGES = [/^commander$/, /^viem(\/|$)/, /^zod(\/|$)/, /^@noble\//, /^@ethereumjs\//];

const isWorkspaceFile = (path) => path.startsWith(repoRoot) && !path.includes(`${'/'}node_modules${'/'}`);

/**
 * Imports on the start-up path that would pull a whole package index into the first chunk: `@aic/core`'s units
 * take two functions from `viem`, whose index (with everything it re-exports) would then load on every start.
 * They resolve to a module re-exporting just those functions' files (the same files the rest of viem uses).
 */
const NARROW_IMPORTS = {
  'packages/core/src/units.ts': {
    viem: (dir) =>
      `export { formatUnits } from ${JSON.stringify(join(dir, '_esm/utils/unit/formatUnits.js'))};\n` +
      `export { parseUnits } from ${JSON.stringify(join(dir, '_esm/utils/unit/parseUnits.js'))};\n`,
  },
};

const narrowImportsPlugin = {
  name: 'aic-narrow-imports',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const narrowed = NARROW_IMPORTS[relative(repoRoot, args.importer)]?.[args.path];
      if (narrowed === undefined) return undefined;
      return { path: `${args.path}:${relative(repoRoot, args.importer)}`, namespace: 'aic-narrow' };
    });
    b.onLoad({ filter: /.*/, namespace: 'aic-narrow' }, (args) => {
      const [pkg, importer] = args.path.split(':');
      // The package as the importer resolves it (its own version), by its folder.
      const dir = dirname(createRequire(join(repoRoot, importer)).resolve(`${pkg}/package.json`));
      return { contents: NARROW_IMPORTS[importer][pkg](dir), loader: 'js', resolveDir: dir };
    });
  },
};

/** Bare imports from workspace code: bundled when workspace (`@aic/*`) or listed, else external. */
const externalsPlugin = {
  name: 'aic-externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || args.path.startsWith('@aic/')) return undefined;
      if (!isWorkspaceFile(args.importer)) return undefined; // inside a bundled npm package: bundle its deps too
      if (BUNDLED_PACKAGES.some((re) => re.test(args.path))) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** Replaces `import.meta.url` in workspace sources with the source file's own URL (see the header). */
const sourceUrlPlugin = {
  name: 'aic-source-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (!isWorkspaceFile(args.path)) return undefined;
      const text = await readFile(args.path, 'utf8');
      const url = JSON.stringify(pathToFileURL(args.path).href);
      return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

async function main() {
  let build;
  try {
    ({ build } = await import('esbuild'));
  } catch (cause) {
    if (!flags['if-possible']) throw cause;
    process.stdout.write(
      'aic: esbuild is not installed, so bin/aic.js will run the TypeScript sources (slower start)\n',
    );
    return;
  }
  const startedMs = Date.now();
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: { main: entryFile },
    outdir: outDir,
    write: false,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    metafile: true,
    logLevel: 'warning',
    // Bundled CommonJS (commander) may call require(); give ESM chunks one.
    banner: {
      js: "import { createRequire as __aicCreateRequire } from 'node:module';\nconst require = __aicCreateRequire(import.meta.url);",
    },
    plugins: [narrowImportsPlugin, externalsPlugin, sourceUrlPlugin],
  });
  // Paths relative to the entry's package (apps/cli), where bin/aic.js resolves them.
  const inputs = Object.keys(result.metafile.inputs)
    .filter((p) => !p.includes(':')) // virtual modules (aic-narrow:…) have no file
    .map((p) => resolve(repoRoot, p))
    .filter(isWorkspaceFile)
    .map((p) => relative(packageDir, p))
    .sort();
  await writeBuild(result.outputFiles, { builtAtMs: startedMs, inputs });
  const ms = Date.now() - startedMs;
  if (!flags.quiet) {
    process.stdout.write(
      `aic: built ${relative(repoRoot, outDir)} (${relative(repoRoot, entryFile)}) from ${inputs.length} workspace files in ${ms} ms\n`,
    );
  }
}

/**
 * Writes the chunks first, then main.js, then build-info.json (which bin/aic.js checks), each by rename, so a
 * starting `aic` sees either the old build or the new one. Old chunks stay a while: a running `aic` (a node) may
 * still load one lazily; those older than an hour are removed.
 */
async function writeBuild(files, info) {
  await mkdir(outDir, { recursive: true });
  const entry = join(outDir, 'main.js');
  const ordered = [...files.filter((f) => f.path !== entry), ...files.filter((f) => f.path === entry)];
  for (const file of ordered) await writeAtomic(file.path, file.contents);
  await writeAtomic(join(outDir, 'build-info.json'), `${JSON.stringify(info, null, 1)}\n`);
  const keep = new Set([...files.map((f) => f.path), join(outDir, 'build-info.json')]);
  for (const name of await readdir(outDir)) {
    const path = join(outDir, name);
    if (!keep.has(path) && Date.now() - (await stat(path)).mtimeMs > 3_600_000) await rm(path, { force: true });
  }
}

async function writeAtomic(path, contents) {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, contents);
  await rename(tmp, path);
}

await main();
