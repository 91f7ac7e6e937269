import { HierarchicalNSW } from 'hnswlib-node';
import type { HnswOptions } from './types.js';

export interface ScoredSlot {
  readonly slot: number;
  readonly score: number;
}

/**
 * An HNSW graph over unit vectors in inner-product space, so that 1 − distance is the cosine
 * similarity. Labels are the collection's document slots.
 */
export class HnswGraph {
  private constructor(
    private readonly index: HierarchicalNSW,
    private readonly options: HnswOptions,
  ) {}

  /** Creates an empty graph with room for `capacity` points; it grows as points are added. */
  static create(dimension: number, capacity: number, options: HnswOptions): HnswGraph {
    const index = new HierarchicalNSW('ip', dimension);
    index.initIndex({
      maxElements: Math.max(capacity, 1),
      m: options.m,
      efConstruction: options.efConstruction,
      randomSeed: options.randomSeed,
    });
    return new HnswGraph(index, options);
  }

  /** Reads a graph written by `write`. */
  static read(file: string, dimension: number, options: HnswOptions): HnswGraph {
    const index = new HierarchicalNSW('ip', dimension);
    index.readIndexSync(file);
    return new HnswGraph(index, options);
  }

  add(slot: number, vector: Float32Array): void {
    if (this.index.getCurrentCount() >= this.index.getMaxElements()) {
      this.index.resizeIndex(this.index.getMaxElements() * 2);
    }
    this.index.addPoint(Array.from(vector), slot);
  }

  remove(slot: number): void {
    this.index.markDelete(slot);
  }

  /** Returns up to k accepted slots, nearest first; efSearch is raised to k when k is larger. */
  search(query: Float32Array, k: number, accept?: (slot: number) => boolean): ScoredSlot[] {
    const neighbours = Math.min(k, this.index.getMaxElements());
    this.index.setEf(Math.max(this.options.efSearch, neighbours));
    const result = this.index.searchKnn(Array.from(query), neighbours, accept);
    return result.neighbors.map((slot, i) => ({ slot, score: 1 - result.distances[i] }));
  }

  write(file: string): void {
    this.index.writeIndexSync(file);
  }
}
