/**
 * Runs async tasks one at a time. One account's transactions must be sent in order: two concurrent sends from the
 * same key race for the same nonce.
 */
export function createSerialQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}
