/** A task run every `intervalMs` until stop(), a pass never overlapping the next; a failed pass goes to `onError`. */
export interface Loop {
  stop(): Promise<void>;
}

export function startLoop(intervalMs: number, task: () => Promise<void>, onError: (error: unknown) => void): Loop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const pass = () => {
    running = task()
      .catch(onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(pass, intervalMs);
      });
  };
  timer = setTimeout(pass, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
