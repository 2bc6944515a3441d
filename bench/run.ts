/**
 * `npm run bench -- <name> [args]` runs bench/<name>.ts in a fresh process.
 * Every benchmark prints, as its last line, one JSON object {"bench":"<name>", ...figures with units in the keys}.
 */
import '@aic/core/polyfills';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNamedScript } from '../scripts/run-named.ts';

runNamedScript(dirname(fileURLToPath(import.meta.url)), 'bench', process.argv.slice(2));
