/**
 * Runs `<folder>/<name>.ts` in a fresh process: the dispatcher behind `npm run bench -- <name>` and
 * `npm run sim -- <name>`. Exits with the script's status; an unknown name lists what exists.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function runNamedScript(folder: string, command: string, argv: readonly string[]): never {
  const available = readdirSync(folder)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
    .map((f) => f.slice(0, -3))
    .sort();
  const [name, ...rest] = argv;
  if (!name || !existsSync(join(folder, `${name}.ts`))) {
    console.error(`usage: npm run ${command} -- <name>   (one of: ${available.join(', ')})`);
    process.exit(2);
  }
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(folder, `${name}.ts`), ...rest], {
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}
