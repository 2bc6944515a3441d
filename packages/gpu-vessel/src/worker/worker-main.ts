/**
 * Entry point of the training worker process (started by `runTrainingWorker` with `--import tsx` and a V8 heap cap).
 * It waits for one start message, runs the job, reports through IPC and exits. It exits as soon as its parent goes
 * away: an orphaned worker must not keep a GPU busy.
 */
import '@aic/core/polyfills';
import { isAicError } from '@aic/core';
import { runChildJob } from './child-job.ts';
import { type ChildMessage, startMessageSchema } from './protocol.ts';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

function errorMessage(error: unknown): ChildMessage {
  if (isAicError(error)) {
    const details = JSON.parse(JSON.stringify(error.toJSON().details)) as Record<string, unknown>;
    return { type: 'error', code: error.code, message: error.message.slice(0, 4000), details };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { type: 'error', code: 'WORKER_CRASHED', message: message.slice(0, 4000) };
}

async function main(raw: unknown): Promise<number> {
  const start = startMessageSchema.safeParse(raw);
  if (!start.success) {
    await send({ type: 'error', code: 'WORKER_PROTOCOL_ERROR', message: 'malformed start message' });
    return 2;
  }
  try {
    await send(await runChildJob(start.data, send));
    return 0;
  } catch (error) {
    await send(errorMessage(error));
    return 1;
  }
}

if (!process.send) {
  process.stderr.write('worker-main.ts is started by runTrainingWorker (it needs an IPC channel)\n');
  process.exit(2);
}
process.once('disconnect', () => process.exit(3));
process.once('message', (raw) => {
  void main(raw).then((code) => process.exit(code));
});
