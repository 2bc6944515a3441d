/** Only the GPU-fleet parts of the allocator benchmark: `node --import tsx bench/allocator/run-fleet.ts [attempts]`. */
import { fleetFill, identicalFleetRate, tiesTimings } from './fleet.ts';

console.log(JSON.stringify(fleetFill()));
console.log(JSON.stringify(identicalFleetRate(10_000, Number(process.argv[2] ?? 60_000))));
console.log(JSON.stringify(tiesTimings()));
