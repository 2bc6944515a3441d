/**
 * Optional CPU profiles of a bench's measured phases: with AIC_BENCH_CPU_PROFILE=<dir>, `profiled(name, work)`
 * records a V8 CPU profile of just `work` to <dir>/<name>.cpuprofile (what `node --cpu-prof` gives for the whole
 * process, start-up, signing and set-up included, which hides the measured path). Without it, `work` just runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

const dir = process.env.AIC_BENCH_CPU_PROFILE;
let session: Session | undefined;

export async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!dir) return work();
  if (!session) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
  }
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
  }
}
