/**
 * `npm run sim -- <name> [args]` runs sim/<name>.ts in a fresh process (like bench/run.ts).
 * Every simulation prints, as its last line, one JSON object {"sim":"<name>", ...}.
 */
import '@aic/core/polyfills';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNamedScript } from '../scripts/run-named.ts';

runNamedScript(dirname(fileURLToPath(import.meta.url)), 'sim', process.argv.slice(2));
