/** A counting semaphore: `acquire` waits (FIFO) while all slots are taken. */
export interface Slots {
  acquire(): Promise<void>;
  release(): void;
  readonly inUse: number;
}

/** Creates `size` slots. */
export function createSlots(size: number): Slots {
  let inUse = 0;
  const waiting: (() => void)[] = [];
  return {
    get inUse() {
      return inUse;
    },
    acquire() {
      if (inUse < size) {
        inUse++;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    release() {
      const next = waiting.shift();
      if (next)
        next(); // the slot passes straight to the next waiter
      else inUse--;
    },
  };
}
