import { Client, errors as esErrors } from '@elastic/elasticsearch';
import { errors } from '../../../core/errors/index.js';
import { SNIPPET_LENGTH, type Metadata, type MetadataFilter } from '../index/index.js';
import type { CollectionHit, CollectionSearch, SearchBackend } from './backend.js';

/** Candidates each shard considers per kNN hit; Elasticsearch's own default is 1.5 × k. */
const CANDIDATES_PER_HIT = 10;

/** A document as the adapter expects it in an index named after the collection. */
interface IndexedDocument {
  readonly text: string;
  readonly vector?: number[];
  readonly metadata: Metadata;
}

type QueryClause = Record<string, unknown>;

/**
 * Highlighting that returns one plain-text fragment as long as the embedded index's snippets, so a
 * hit's snippet reads the same whichever backend serves it (Elasticsearch wraps terms in `<em>` by default).
 */
const HIGHLIGHT = { pre_tags: [''], post_tags: [''], fields: { text: { fragment_size: SNIPPET_LENGTH, number_of_fragments: 1 } } };

/**
 * Search through Elasticsearch, one index per collection with fields `text` (text), `vector`
 * (dense_vector, cosine) and `metadata.*` (keyword or numeric). HYBRID sends `knn` and a `match`
 * query together, which Elasticsearch combines as a sum of scores (a bool query), because
 * its `rrf` retriever needs a paid licence.
 */
export class ElasticsearchBackend implements SearchBackend {
  readonly kind = 'elasticsearch';
  private readonly client: Client;

  constructor(url: string, apiKey?: string) {
    this.client = new Client({ node: url, auth: apiKey === undefined ? undefined : { apiKey } });
  }

  async search(request: CollectionSearch): Promise<CollectionHit[]> {
    const filter = toFilterClauses(request.filters);
    const knn = { field: 'vector', query_vector: Array.from(request.vector), k: request.first, num_candidates: request.first * CANDIDATES_PER_HIT, filter };
    const query = { bool: { must: [{ match: { text: request.text } }], filter } };
    const body = {
      index: request.collection,
      size: request.first,
      _source: ['text', 'metadata'],
      highlight: HIGHLIGHT,
      ...(request.mode === 'keyword' ? {} : { knn }),
      ...(request.mode === 'vector' ? {} : { query }),
    };
    try {
      const response = await this.client.search<IndexedDocument>(body);
      return response.hits.hits.map((hit) => toHit(hit._id ?? '', hit._score ?? 0, hit._source, hit.highlight?.text?.[0]));
    } catch (error) {
      throw errors.SEARCH_BACKEND_FAILED.error(`Elasticsearch search of index "${request.collection}" failed: ${describeFailure(error)}.`);
    }
  }

  async lookup(collection: string, ids: readonly string[]): Promise<Map<string, CollectionHit>> {
    try {
      const response = await this.client.mget<IndexedDocument>({ index: collection, ids: [...ids] });
      const found = new Map<string, CollectionHit>();
      for (const document of response.docs) {
        if ('found' in document && document.found && document._source !== undefined) {
          found.set(document._id, toHit(document._id, 0, document._source, undefined));
        }
      }
      return found;
    } catch (error) {
      throw errors.SEARCH_BACKEND_FAILED.error(`Elasticsearch lookup in index "${collection}" failed: ${describeFailure(error)}.`);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** Returns the status, error type and reason of an Elasticsearch error response, or the client's message otherwise. */
function describeFailure(error: unknown): string {
  if (!(error instanceof esErrors.ResponseError)) {
    return (error as Error).message;
  }
  const cause = (error.body as { error?: { type?: string; reason?: string } } | undefined)?.error;
  return cause?.type === undefined ? `HTTP ${error.statusCode}` : `HTTP ${error.statusCode} ${cause.type}: ${cause.reason ?? 'no reason given'}`;
}

function toHit(id: string, score: number, source: IndexedDocument | undefined, highlight: string | undefined): CollectionHit {
  const text = source?.text ?? '';
  return { id, score, snippet: highlight ?? text, text, metadata: source?.metadata ?? {} };
}

/** Translates metadata filters to Elasticsearch filter clauses on `metadata.<field>`; every clause must hold. */
export function toFilterClauses(filters: readonly MetadataFilter[]): QueryClause[] {
  return filters.map((filter) => {
    const field = `metadata.${filter.field}`;
    if (filter.in !== undefined) {
      return { terms: { [field]: filter.in } };
    }
    if (filter.range !== undefined) {
      return { range: { [field]: filter.range } };
    }
    return filter.eq === null ? { bool: { must_not: { exists: { field } } } } : { term: { [field]: filter.eq } };
  });
}
