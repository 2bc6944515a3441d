/**
 * Lint rule: every error code a package raises is declared in its error-code union (docs/ARCHITECTURE.md, "Error
 * codes"). A package declares its codes as `export const <NAME>_ERROR_CODES = ['A', 'B'] as const` (usually in
 * `src/errors.ts`) and derives its union type from it; this scan finds every `new …Error('CODE', …)` in the
 * package's `src/` (string literals, also both branches of a `?:`) and fails when a raised code is not declared.
 * A file's helper that raises its first parameter `code` (`function fail(code: string, …) { throw new AicError(code, …) }`,
 * also with a literal prefix: `` new AicError(`SAFETENSORS_${code}`, …) ``) counts its calls' literal codes too.
 * Other codes built at run time (variables, codes from a peer) are not seen: type those variables with the union.
 *
 * `--print` lists each package's raised codes instead (to start or refresh a union).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CODE_RE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
/** Built-in error classes take a message, not a code. */
const BUILTIN_ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'AggregateError']);

export interface PackageErrorCodes {
  /** Folder relative to the repository root, e.g. `packages/ledger`. */
  dir: string;
  /** Codes declared in `*_ERROR_CODES` arrays, with the file that declares them. */
  declared: Map<string, string>;
  /** Files that declare an `*_ERROR_CODES` array (even an empty one). */
  unions: Set<string>;
  /** Codes raised, with every `file:line` that raises them. */
  raised: Map<string, string[]>;
}

/** Scans every workspace under packages/ and apps/. */
export function scanErrorCodes(): PackageErrorCodes[] {
  const result: PackageErrorCodes[] = [];
  for (const group of ['packages', 'apps']) {
    for (const entry of readdirSync(join(root, group)).sort()) {
      const src = join(root, group, entry, 'src');
      if (!isDirectory(src)) continue;
      const codes: PackageErrorCodes = {
        dir: `${group}/${entry}`,
        declared: new Map(),
        unions: new Set(),
        raised: new Map(),
      };
      for (const file of sourceFiles(src)) scanFile(file, codes);
      result.push(codes);
    }
  }
  return result;
}

/** `file:line raises CODE …` for every raised code missing from its package's union. */
export function findUndeclaredCodes(packages: PackageErrorCodes[]): string[] {
  const problems: string[] = [];
  for (const pkg of packages) {
    for (const [code, where] of pkg.raised) {
      if (pkg.declared.has(code)) continue;
      const union = pkg.unions.size === 0 ? `${pkg.dir}/src/errors.ts, missing` : [...pkg.unions].join(', ');
      problems.push(`${where[0]} raises ${code}, which is not in ${pkg.dir}'s error-code union (${union})`);
    }
  }
  return problems;
}

function scanFile(file: string, codes: PackageErrorCodes): void {
  const text = readFileSync(file, 'utf8');
  const where = relative(root, file);
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const helpers = codeRaisingHelpers(sf);
  const raise = (code: string, node: ts.Node) => {
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    codes.raised.set(code, [...(codes.raised.get(code) ?? []), `${where}:${line}`]);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text.endsWith('_ERROR_CODES')) {
      codes.unions.add(where);
      for (const code of arrayLiteralStrings(node.initializer)) codes.declared.set(code, where);
    }
    if (ts.isNewExpression(node) && isCodedErrorClass(node.expression) && node.arguments?.[0] !== undefined) {
      for (const code of literalCodes(node.arguments[0])) raise(code, node);
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.arguments[0] !== undefined) {
      const prefix = helpers.get(node.expression.text);
      if (prefix !== undefined) {
        for (const code of literalCodes(node.arguments[0], prefix)) raise(`${prefix}${code}`, node);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

function isCodedErrorClass(expression: ts.Expression): boolean {
  const name = ts.isIdentifier(expression)
    ? expression.text
    : ts.isPropertyAccessExpression(expression)
      ? expression.name.text
      : '';
  return name.endsWith('Error') && !BUILTIN_ERRORS.has(name);
}

function literalCodes(expression: ts.Expression, prefix = ''): string[] {
  if (ts.isStringLiteralLike(expression)) return CODE_RE.test(prefix + expression.text) ? [expression.text] : [];
  if (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression)) {
    return literalCodes(expression.expression, prefix);
  }
  if (ts.isConditionalExpression(expression)) {
    return [...literalCodes(expression.whenTrue, prefix), ...literalCodes(expression.whenFalse, prefix)];
  }
  return [];
}

/** Functions of this file that raise their first parameter `code` (with a literal prefix, maybe): name → prefix. */
function codeRaisingHelpers(sf: ts.SourceFile): Map<string, string> {
  const helpers = new Map<string, string>();
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) && node.name !== undefined && node.body !== undefined) {
      const first = node.parameters[0];
      if (first !== undefined && ts.isIdentifier(first.name) && first.name.text === 'code') {
        const prefix = raisedPrefix(node.body);
        if (prefix !== undefined) helpers.set(node.name.text, prefix);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return helpers;
}

/** '' when `body` raises `new …Error(code, …)`, 'P_' for `` new …Error(`P_${code}`, …) ``, else undefined. */
function raisedPrefix(body: ts.Node): string | undefined {
  let prefix: string | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && isCodedErrorClass(node.expression) && node.arguments?.[0] !== undefined) {
      const arg = node.arguments[0];
      if (ts.isIdentifier(arg) && arg.text === 'code') prefix = '';
      if (
        ts.isTemplateExpression(arg) &&
        arg.templateSpans.length === 1 &&
        arg.templateSpans[0]?.literal.text === '' &&
        ts.isIdentifier(arg.templateSpans[0].expression) &&
        arg.templateSpans[0].expression.text === 'code'
      ) {
        prefix = arg.head.text;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return prefix;
}

function arrayLiteralStrings(initializer: ts.Expression | undefined): string[] {
  let e = initializer;
  while (e !== undefined && (ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isParenthesizedExpression(e))) {
    e = e.expression;
  }
  if (e === undefined || !ts.isArrayLiteralExpression(e)) return [];
  return e.elements.filter(ts.isStringLiteralLike).map((s) => s.text);
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (isDirectory(path)) files.push(...sourceFiles(path));
    else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const packages = scanErrorCodes();
  if (process.argv.includes('--print')) {
    for (const pkg of packages) {
      process.stdout.write(`${pkg.dir} (${pkg.raised.size}): ${[...pkg.raised.keys()].sort().join(' ')}\n`);
    }
  } else {
    const problems = findUndeclaredCodes(packages);
    for (const problem of problems) process.stderr.write(`${problem}\n`);
    const declared = packages.reduce((n, p) => n + p.declared.size, 0);
    if (problems.length > 0) {
      process.stderr.write(`error codes: ${problems.length} raised but not declared\n`);
      process.exitCode = 1;
    } else {
      process.stdout.write(
        `error codes: ${declared} declared in ${packages.length} packages, every raised code listed\n`,
      );
    }
  }
}
