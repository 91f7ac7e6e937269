import { createHash } from 'node:crypto';

import { parse, validate, type DocumentNode } from 'graphql';

import { errors } from '../../core/errors/index.js';
import { estimateCost, type CostEstimate } from './estimate.js';
import { resolveCostOptions, type CostOptionsInput } from './options.js';
import type { CostSchema } from './schema.js';

/** Options of a cached estimator. */
export interface CostEstimatorOptions extends CostOptionsInput {
  /** Entries kept in each of the document and estimate caches, least recently used dropped first. Default 1000. */
  readonly cacheSize?: number;
}

/** Counters of the estimate cache, for metrics. */
export interface CostCacheStats {
  hits: number;
  misses: number;
}

/** An estimator bound to one schema that remembers parsed documents and estimates. */
export interface CostEstimator {
  readonly costSchema: CostSchema;
  readonly stats: Readonly<CostCacheStats>;
  /**
   * Parses, validates and estimates an operation, or returns the cached estimate of the same
   * schema, document text, variables and operation name.
   *
   * @throws GraphQLError `GRAPHQL_PARSE_FAILED`, `GRAPHQL_VALIDATION_FAILED`, `BAD_USER_INPUT` or
   * `COST_QUERY_PARSE_FAILURE`; failures are not cached.
   */
  estimate(documentText: string, request?: { variables?: Record<string, unknown>; operationName?: string | null }): CostEstimate;
  /** Parses and validates a document, or returns the cached parse of the same text. */
  parseDocument(documentText: string): DocumentNode;
}

const DEFAULT_CACHE_SIZE = 1000;
const schemaIds = new WeakMap<CostSchema, number>();
let nextSchemaId = 1;

/**
 * Creates an estimator with two LRU caches: parsed and validated documents by text, and estimates
 * by schema, document text, variables hash and operation name. Variables are part of the key
 * because slicing arguments and `@skip`/`@include` read them.
 */
export function createCostEstimator(costSchema: CostSchema, options: CostEstimatorOptions = {}): CostEstimator {
  const cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
  if (!Number.isSafeInteger(cacheSize) || cacheSize < 1) {
    throw new Error(`cost.cacheSize must be a positive integer, found ${JSON.stringify(cacheSize)}.`);
  }
  const costOptions = resolveCostOptions(options);
  const documents = new LruCache<DocumentNode>(cacheSize);
  const estimates = new LruCache<CostEstimate>(cacheSize);
  const stats: CostCacheStats = { hits: 0, misses: 0 };
  const schemaId = idOf(costSchema);

  const parseDocument = (documentText: string): DocumentNode => {
    const key = hash(documentText);
    const cached = documents.get(key);
    if (cached) return cached;
    const document = parseAndValidate(costSchema, documentText);
    documents.set(key, document);
    return document;
  };

  const estimate: CostEstimator['estimate'] = (documentText, request = {}) => {
    const key = [schemaId, hash(documentText), hash(stableStringify(request.variables ?? {})), request.operationName ?? ''].join(':');
    const cached = estimates.get(key);
    if (cached) {
      stats.hits += 1;
      return cached;
    }
    stats.misses += 1;
    const result = estimateCost(costSchema, parseDocument(documentText), { ...request, options: costOptions });
    estimates.set(key, result);
    return result;
  };

  return { costSchema, stats, estimate, parseDocument };
}

function parseAndValidate(costSchema: CostSchema, documentText: string): DocumentNode {
  let document: DocumentNode;
  try {
    document = parse(documentText);
  } catch (error) {
    throw errors.GRAPHQL_PARSE_FAILED.error((error as Error).message);
  }
  const validationErrors = validate(costSchema.schema, document);
  if (validationErrors.length > 0) {
    throw errors.GRAPHQL_VALIDATION_FAILED.error(validationErrors[0].message);
  }
  return document;
}

function idOf(costSchema: CostSchema): number {
  let id = schemaIds.get(costSchema);
  if (id === undefined) {
    id = nextSchemaId++;
    schemaIds.set(costSchema, id);
  }
  return id;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** Serializes JSON with sorted keys, so that `{a, b}` and `{b, a}` share a cache entry. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableStringify(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A least-recently-used cache on a `Map`, whose iteration order is insertion order. */
class LruCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
