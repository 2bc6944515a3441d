/**
 * Lint rule: layers import only downward (docs/ARCHITECTURE.md).
 * Fails when a source file imports an @aic package from the same or a higher layer, imports an @aic package its
 * package.json does not declare, or reaches into another package by a relative path.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAYERS, SAME_LAYER_EDGES } from './layers.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

interface Workspace {
  name: string;
  dir: string;
  declared: Set<string>;
}

export function listWorkspaces(): Workspace[] {
  const result: Workspace[] = [];
  for (const group of ['packages', 'apps']) {
    const groupDir = join(root, group);
    for (const entry of safeReaddir(groupDir)) {
      const pkgPath = join(groupDir, entry, 'package.json');
      try {
        const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
          name: string;
          dependencies?: Record<string, string>;
          devDependencies?: Record<string, string>;
        };
        const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);
        result.push({ name: pkg.name, dir: join(groupDir, entry), declared });
      } catch {
        // not a package folder
      }
    }
  }
  return result;
}

export function findLayerViolations(): string[] {
  const workspaces = listWorkspaces();
  const violations: string[] = [];
  for (const ws of workspaces) {
    const layer = LAYERS[ws.name];
    if (layer === undefined) {
      violations.push(`${ws.name}: not assigned a layer in scripts/layers.ts`);
      continue;
    }
    for (const file of sourceFiles(ws.dir)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(IMPORT_RE)) {
        const spec = match[1] ?? match[2] ?? '';
        const where = relative(root, file);
        const problem = checkImport(ws, layer, file, spec, workspaces);
        if (problem) violations.push(`${where}: ${problem}`);
      }
    }
  }
  return violations;
}

function checkImport(ws: Workspace, layer: number, file: string, spec: string, all: Workspace[]): string | undefined {
  if (spec.startsWith('.')) {
    const target = resolve(dirname(file), spec);
    const owner = all.find((w) => target === w.dir || target.startsWith(w.dir + sep));
    if (owner && owner.name !== ws.name) return `reaches into ${owner.name} by a relative path (${spec})`;
    return undefined;
  }
  const pkgName = spec.startsWith('@aic/') ? spec.split('/').slice(0, 2).join('/') : undefined;
  if (!pkgName || pkgName === ws.name) return undefined;
  const targetLayer = LAYERS[pkgName];
  if (targetLayer === undefined) return `imports unknown workspace ${pkgName}`;
  const allowedSame = SAME_LAYER_EDGES.some(([a, b]) => a === ws.name && b === pkgName);
  if (targetLayer > layer || (targetLayer === layer && !allowedSame)) {
    return `imports ${pkgName} (layer ${targetLayer}) from layer ${layer}: layers import only downward`;
  }
  if (!ws.declared.has(pkgName)) return `imports ${pkgName} without declaring it in package.json`;
  return undefined;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of safeReaddir(dir)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|tsx|mts)$/.test(entry)) yield path;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const violations = findLayerViolations();
  if (violations.length > 0) {
    console.error(`Layer rule violated (${violations.length}):\n${violations.map((v) => `  ${v}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`layers ok (${listWorkspaces().length} workspaces)`);
}
