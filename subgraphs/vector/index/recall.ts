import type { VectorCollection } from './collection.js';

export interface RecallMeasurement {
  /** Mean over the queries of |HNSW top k ∩ exact top k| / |exact top k|. */
  readonly recall: number;
  readonly k: number;
  readonly queryCount: number;
}

/**
 * Measures recall@k of the collection's HNSW graph against exact search over the given queries
 * (for example a sample of held-out embeddings). Builds the graph if the collection has none.
 */
export function measureRecall(collection: VectorCollection, queries: readonly Float32Array[], k: number = 10): RecallMeasurement {
  let recallSum = 0;
  for (const query of queries) {
    const exact = collection.exactSearch(query, k).map((hit) => hit.slot);
    const approximate = new Set(collection.approximateSearch(query, k).map((hit) => hit.slot));
    const found = exact.filter((slot) => approximate.has(slot)).length;
    recallSum += exact.length === 0 ? 1 : found / exact.length;
  }
  return { recall: queries.length === 0 ? 1 : recallSum / queries.length, k, queryCount: queries.length };
}
