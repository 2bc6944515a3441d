/** Whether a prebuilt JavaScript bundle may stand for its TypeScript sources: the node and the training worker start
 * from one while it is current (no tsx compile per process), and from the sources otherwise. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** True when `<dir>/build-info.json` lists inputs (relative to the package folder above `dir`) none newer than it. */
export function bundleIsCurrent(dir: string): boolean {
  try {
    const info = JSON.parse(readFileSync(join(dir, 'build-info.json'), 'utf8')) as {
      builtAtMs: number;
      inputs: string[];
    };
    const packageDir = join(dir, '..');
    for (const input of info.inputs) if (statSync(join(packageDir, input)).mtimeMs > info.builtAtMs) return false;
    return info.inputs.length > 0;
  } catch {
    return false; // no build, an unreadable one, or an input gone: the sources
  }
}
