import type { SearchMode } from '../index/index.js';

/**
 * Tells whether a vector has a direction. The word-vector model embeds a text without known words
 * as all zeros, and cosine similarity is undefined for it: Elasticsearch rejects such a vector.
 */
export function hasDirection(vector: Float32Array): boolean {
  return vector.some((component) => component !== 0);
}

/**
 * Returns the ranking a search cluster runs for a request: a query vector without direction cannot
 * rank by similarity, so VECTOR runs none (undefined, no hits) and HYBRID ranks by keywords alone.
 */
export function rankingFor(mode: SearchMode, vector: Float32Array): SearchMode | undefined {
  if (mode === 'keyword' || hasDirection(vector)) {
    return mode;
  }
  return mode === 'hybrid' ? 'keyword' : undefined;
}
