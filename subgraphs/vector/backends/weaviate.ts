import weaviate, { ApiKey, FusionType, type WeaviateClient, type WhereFilter } from 'weaviate-ts-client';
import { errors } from '../../../core/errors/index.js';
import type { Metadata, MetadataFilter, MetadataValue, SearchMode } from '../index/index.js';
import type { CollectionHit, CollectionSearch, SearchBackend } from './backend.js';

/**
 * Weaviate weight of the vector ranking in hybrid search: 0 is keyword only, 1 vector only.
 * HYBRID uses 0.5, an equal weight, like the embedded index's reciprocal rank fusion.
 * NOTE: KEYWORD and VECTOR scores are Weaviate's fused hybrid scores, not raw BM25 or cosine values.
 */
const ALPHA: Record<SearchMode, number> = { keyword: 0, vector: 1, hybrid: 0.5 };

/**
 * HYBRID asks for `rankedFusion` (reciprocal rank fusion), so it ranks like the embedded index,
 * because Weaviate 1.24 and later default to `relativeScoreFusion`, which fuses normalized scores.
 */
const FUSION: Record<SearchMode, FusionType | undefined> = { keyword: undefined, vector: undefined, hybrid: FusionType.rankedFusion };

/** Properties every object of a collection's class has; metadata fields are properties too. */
const FIELDS = 'docId text metadata _additional { score }';

interface WeaviateObject {
  readonly docId: string;
  readonly text: string;
  /** The document's metadata as JSON; its filterable fields are also separate properties. */
  readonly metadata: string;
  readonly _additional?: { readonly score?: string | number };
}

/** Returns the Weaviate class of a collection: its name with a capital first letter, as Weaviate requires. */
export function weaviateClassName(collection: string): string {
  return collection.charAt(0).toUpperCase() + collection.slice(1);
}

/** Search through Weaviate's GraphQL `Get` with `hybrid`, one class per collection. */
export class WeaviateBackend implements SearchBackend {
  readonly kind = 'weaviate';
  private readonly client: WeaviateClient;

  constructor(url: string, apiKey?: string) {
    const parsed = new URL(url);
    this.client = weaviate.client({ scheme: parsed.protocol.replace(':', ''), host: parsed.host, apiKey: apiKey === undefined ? undefined : new ApiKey(apiKey) });
  }

  async search(request: CollectionSearch): Promise<CollectionHit[]> {
    let query = this.client.graphql
      .get()
      .withClassName(weaviateClassName(request.collection))
      .withFields(FIELDS)
      .withHybrid({ query: request.text, vector: Array.from(request.vector), alpha: ALPHA[request.mode], fusionType: FUSION[request.mode] })
      .withLimit(request.first);
    if (request.filters.length > 0) {
      query = query.withWhere(toWhereFilter(request.filters));
    }
    const objects = await this.run(request.collection, () => query.do());
    return objects.map((object) => toHit(object, Number(object._additional?.score ?? 0)));
  }

  async lookup(collection: string, ids: readonly string[]): Promise<Map<string, CollectionHit>> {
    const where: WhereFilter = { operator: 'Or', operands: ids.map((id) => ({ path: ['docId'], operator: 'Equal', valueText: id })) };
    const query = this.client.graphql.get().withClassName(weaviateClassName(collection)).withFields(FIELDS).withWhere(where).withLimit(ids.length);
    const objects = await this.run(collection, () => query.do());
    return new Map(objects.map((object) => [object.docId, toHit(object, 0)]));
  }

  async close(): Promise<void> {}

  private async run(collection: string, send: () => Promise<{ data?: { Get?: Record<string, WeaviateObject[]> }; errors?: unknown }>): Promise<WeaviateObject[]> {
    let response: { data?: { Get?: Record<string, WeaviateObject[]> }; errors?: unknown };
    try {
      response = await send();
    } catch (error) {
      throw errors.SEARCH_BACKEND_FAILED.error(`Weaviate search of collection "${collection}" failed: ${describeFailure(error)}.`);
    }
    const objects = response.data?.Get?.[weaviateClassName(collection)];
    if (!Array.isArray(objects)) {
      throw errors.SEARCH_BACKEND_FAILED.error(`Weaviate returned no Get.${weaviateClassName(collection)} list for collection "${collection}".`);
    }
    return objects;
  }
}

/**
 * Returns the first GraphQL error message or the HTTP status of a failed request. The client's own
 * message (graphql-request's `ClientError`) also embeds the whole request, query vector included.
 */
function describeFailure(error: unknown): string {
  const response = (error as { response?: { status?: number; errors?: ReadonlyArray<{ message?: unknown }> } }).response;
  if (response === undefined) {
    return (error as Error).message;
  }
  const message = response.errors?.[0]?.message;
  return typeof message === 'string' ? message.replace(/\.$/, '') : `HTTP ${response.status ?? 'error'}`;
}

function toHit(object: WeaviateObject, score: number): CollectionHit {
  return { id: object.docId, score, snippet: object.text, text: object.text, metadata: JSON.parse(object.metadata) as Metadata };
}

/** Translates metadata filters to a Weaviate `where` filter; every filter must hold. */
export function toWhereFilter(filters: readonly MetadataFilter[]): WhereFilter {
  return { operator: 'And', operands: filters.map(toOperand) };
}

function toOperand(filter: MetadataFilter): WhereFilter {
  if (filter.in !== undefined) {
    return { operator: 'Or', operands: filter.in.map((value) => equal(filter.field, value)) };
  }
  if (filter.range !== undefined) {
    const operators = { gt: 'GreaterThan', gte: 'GreaterThanEqual', lt: 'LessThan', lte: 'LessThanEqual' } as const;
    const operands = Object.entries(filter.range).map(([bound, value]) => ({ path: [filter.field], operator: operators[bound as keyof typeof operators], valueNumber: value as number }));
    return { operator: 'And', operands };
  }
  return equal(filter.field, filter.eq ?? null);
}

function equal(field: string, value: MetadataValue): WhereFilter {
  if (value === null) {
    return { path: [field], operator: 'IsNull', valueBoolean: true };
  }
  if (typeof value === 'number') {
    return { path: [field], operator: 'Equal', valueNumber: value };
  }
  if (typeof value === 'boolean') {
    return { path: [field], operator: 'Equal', valueBoolean: value };
  }
  return { path: [field], operator: 'Equal', valueText: value };
}
