/**
 * `npm run bench -- pov`: runs the Proof-of-Value adversarial simulation (sim/pov.ts) until the root package.json
 * gains `"sim": "node --import tsx sim/run.ts"` for `npm run sim -- pov`. Its last line is {"sim":"pov",...}.
 */
import '../sim/pov.ts';
