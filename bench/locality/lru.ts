/** A provider's worker cache in the locality bench: bounded by bytes, least recently used evicted first. */
export class ByteLru {
  readonly #sizes = new Map<string, number>();
  #total = 0;

  constructor(readonly capacityBytes: number) {}

  has(key: string): boolean {
    return this.#sizes.has(key);
  }

  /** Marks `key` used now. */
  touch(key: string): void {
    const size = this.#sizes.get(key);
    if (size === undefined) return;
    this.#sizes.delete(key);
    this.#sizes.set(key, size);
  }

  /** Caches a dataset just fetched, evicting the least recently used; one larger than the cache is not kept. */
  add(key: string, bytes: number): void {
    if (this.#sizes.has(key)) {
      this.touch(key);
      return;
    }
    if (bytes > this.capacityBytes) return;
    while (this.#total + bytes > this.capacityBytes) {
      const oldest = this.#sizes.keys().next().value as string;
      this.#total -= this.#sizes.get(oldest) ?? 0;
      this.#sizes.delete(oldest);
    }
    this.#sizes.set(key, bytes);
    this.#total += bytes;
  }

  keys(): string[] {
    return [...this.#sizes.keys()];
  }

  clone(): ByteLru {
    const copy = new ByteLru(this.capacityBytes);
    for (const [k, v] of this.#sizes) copy.add(k, v);
    return copy;
  }
}
