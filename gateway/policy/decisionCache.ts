/**
 * A least-recently-used map of decisions, bounded by entry count. A `Map` keeps insertion order, so
 * re-inserting an entry on every hit makes its first key the least recently used one.
 */
export class DecisionCache {
  private readonly entries = new Map<string, boolean>();

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new Error(`decision cache maxEntries must be an integer of at least 1; found ${maxEntries}`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): boolean | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: boolean): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
