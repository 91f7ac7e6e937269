import { FusionType, type WeaviateClient } from 'weaviate-ts-client';
import type { WeaviateConfig } from '../../../../core/config/sections/vector.js';
import { errors } from '../../../../core/errors/index.js';
import type { Metadata, SearchMode } from '../../index/index.js';
import type { CollectionHit, CollectionResult, CollectionSearch, LookupResult, SearchBackend } from '../backend.js';
import { rankingFor } from '../queryVector.js';
import { connectWeaviate, weaviateClassName, type WeaviateConnection } from './connection.js';
import { runGet, type GetQuery, type GetResult } from './get.js';
import { documentIdFilter, toWhereFilter } from './where.js';

/**
 * Weaviate weight of the vector ranking in HYBRID search: 0.5 weighs keywords and vectors equally,
 * like the embedded index's reciprocal rank fusion. HYBRID requests `rankedFusion` (reciprocal rank
 * fusion) as well, because Weaviate 1.24 and later default to `relativeScoreFusion`.
 */
const HYBRID_ALPHA = 0.5;

/** Fields per ranking: `score` is the BM25 or fused score, which Weaviate sends as a string, and `distance` the cosine distance. */
const FIELDS: Record<SearchMode, string> = {
  keyword: 'docId text metadata _additional { score }',
  vector: 'docId text metadata _additional { distance }',
  hybrid: 'docId text metadata _additional { score }',
};

const LOOKUP_FIELDS = 'docId text metadata';

interface WeaviateObject {
  readonly docId: string;
  readonly text: string;
  /** The document's metadata as JSON; its filterable fields are also separate properties. */
  readonly metadata: string;
  readonly _additional?: { readonly score?: string | number; readonly distance?: number };
}

type Getter = ReturnType<WeaviateClient['graphql']['get']>;

/**
 * Search through Weaviate's GraphQL `Get`, one class per collection: `bm25` on the `text` property
 * for KEYWORD, `nearVector` for VECTOR and `hybrid` with reciprocal rank fusion for HYBRID.
 * Classes are created with cosine distance, so a VECTOR score is the cosine similarity, 1 − distance.
 */
export class WeaviateBackend implements SearchBackend {
  readonly kind = 'weaviate';
  private readonly connection: WeaviateConnection;

  /** @throws ConfigError when the API key's environment variable or file cannot be read. */
  constructor(config: WeaviateConfig) {
    this.connection = connectWeaviate(config);
  }

  async search(request: CollectionSearch): Promise<CollectionResult> {
    const ranking = rankingFor(request.mode, request.vector);
    if (ranking === undefined) {
      return { hits: [] };
    }
    let query = this.getter(request.collection).withFields(FIELDS[ranking]).withLimit(request.first);
    query = withRanking(query, ranking, request);
    if (request.filters.length > 0) {
      query = query.withWhere(toWhereFilter(request.filters));
    }

    const result = await this.run<WeaviateObject>(`search of collection "${request.collection}"`, request.collection, query);
    const hits = result.objects.map((object) => toHit(object, scoreOf(object, ranking)));
    return { hits, partialFailure: describePartialFailure(request.collection, result.errors) };
  }

  async lookup(collection: string, ids: readonly string[]): Promise<LookupResult> {
    const query = this.getter(collection).withFields(LOOKUP_FIELDS).withWhere(documentIdFilter(ids)).withLimit(ids.length);
    const result = await this.run<WeaviateObject>(`lookup in collection "${collection}"`, collection, query);
    const found = new Map(result.objects.map((object) => [object.docId, toHit(object, 0)]));
    return { found, partialFailure: describePartialFailure(collection, result.errors) };
  }

  async close(): Promise<void> {}

  /** Starts a `Get` query on the collection's class, for the configured tenant. */
  private getter(collection: string): Getter {
    const getter = this.connection.client.graphql.get().withClassName(weaviateClassName(collection));
    return this.connection.tenant === undefined ? getter : getter.withTenant(this.connection.tenant);
  }

  /** Runs a query; `operation` names it in the SEARCH_BACKEND_FAILED message, such as `search of collection "speeches"`. */
  private async run<T>(operation: string, collection: string, query: GetQuery): Promise<GetResult<T>> {
    try {
      return await runGet<T>(query, weaviateClassName(collection), this.connection.timeoutMs);
    } catch (error) {
      throw errors.SEARCH_BACKEND_FAILED.error(`Weaviate ${operation} failed: ${(error as Error).message}.`);
    }
  }
}

function withRanking(query: Getter, ranking: SearchMode, request: CollectionSearch): Getter {
  const vector = Array.from(request.vector);
  if (ranking === 'keyword') {
    return query.withBm25({ query: request.text, properties: ['text'] });
  }
  if (ranking === 'vector') {
    return query.withNearVector({ vector });
  }
  return query.withHybrid({ query: request.text, vector, alpha: HYBRID_ALPHA, fusionType: FusionType.rankedFusion });
}

/** Describes the GraphQL errors that Weaviate returned next to objects; returns undefined without errors. */
function describePartialFailure(collection: string, messages: readonly string[]): string | undefined {
  if (messages.length === 0) {
    return undefined;
  }
  const more = messages.length > 1 ? ` (and ${messages.length - 1} more errors)` : '';
  return `Weaviate returned partial results for collection "${collection}": ${messages[0].replace(/\.$/, '')}${more}.`;
}

/** Returns the cosine similarity, 1 − distance, for VECTOR, and else the BM25 or fused score, which Weaviate sends as a string. */
function scoreOf(object: WeaviateObject, ranking: SearchMode): number {
  if (ranking === 'vector') {
    return 1 - Number(object._additional?.distance ?? 1);
  }
  return Number(object._additional?.score ?? 0);
}

function toHit(object: WeaviateObject, score: number): CollectionHit {
  return { id: object.docId, score, snippet: object.text, text: object.text, metadata: JSON.parse(object.metadata) as Metadata };
}
