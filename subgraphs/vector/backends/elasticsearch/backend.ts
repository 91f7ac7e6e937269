import type { Client, estypes } from '@elastic/elasticsearch';
import type { ElasticsearchConfig } from '../../../../core/config/sections/vector.js';
import { errors } from '../../../../core/errors/index.js';
import { SNIPPET_LENGTH, type Metadata, type SearchMode } from '../../index/index.js';
import type { CollectionHit, CollectionResult, CollectionSearch, LookupResult, SearchBackend } from '../backend.js';
import { listFailures } from '../failures.js';
import { rankingFor } from '../queryVector.js';
import { connectElasticsearch, describeCause, describeFailure } from './connection.js';
import { toFilterClauses } from './filters.js';

/** Candidates each shard considers per kNN hit; Elasticsearch's own default is 1.5 × k. */
const CANDIDATES_PER_HIT = 10;

/** A document as the adapter stores it in an index named after the collection. */
interface IndexedDocument {
  readonly text: string;
  readonly metadata: Metadata;
}

/**
 * Highlighting that returns one plain-text fragment as long as the embedded index's snippets, so a
 * hit's snippet reads the same whichever backend serves it (Elasticsearch wraps terms in `<em>` by default).
 */
const HIGHLIGHT = { pre_tags: [''], post_tags: [''], fields: { text: { fragment_size: SNIPPET_LENGTH, number_of_fragments: 1 } } };

/**
 * Search through Elasticsearch, one index per collection with fields `text` (text), `vector`
 * (dense_vector, cosine) and `metadata.*` (keyword or numeric). KEYWORD scores are BM25 scores
 * and VECTOR scores cosine similarities. HYBRID sends `knn` and a `match` query together, which
 * Elasticsearch combines as a sum of scores (a bool query), because its `rrf` retriever needs a
 * paid licence. Hits of a search that timed out or lost shards are returned with a partial failure.
 */
export class ElasticsearchBackend implements SearchBackend {
  readonly kind = 'elasticsearch';
  private readonly client: Client;
  private readonly searchTimeout: string | undefined;

  /** @throws ConfigError when the API key's environment variable or file cannot be read. */
  constructor(config: ElasticsearchConfig) {
    this.client = connectElasticsearch(config);
    this.searchTimeout = config.searchTimeoutMs === undefined ? undefined : `${config.searchTimeoutMs}ms`;
  }

  async search(request: CollectionSearch): Promise<CollectionResult> {
    const ranking = rankingFor(request.mode, request.vector);
    if (ranking === undefined) {
      return { hits: [] };
    }
    let response: estypes.SearchResponse<IndexedDocument>;
    try {
      response = await this.client.search<IndexedDocument>(this.searchBody(request, ranking));
    } catch (error) {
      throw errors.SEARCH_BACKEND_FAILED.error(`Elasticsearch search of index "${request.collection}" failed: ${describeFailure(error)}.`);
    }
    const score = ranking === 'vector' ? cosineOfKnnScore : (value: number) => value;
    const hits = response.hits.hits.map((hit) => toHit(hit._id ?? '', score(hit._score ?? 0), hit._source, hit.highlight?.text?.[0]));
    return { hits, partialFailure: describeIncompleteSearch(request.collection, response) };
  }

  async lookup(collection: string, ids: readonly string[]): Promise<LookupResult> {
    let response: estypes.MgetResponse<IndexedDocument>;
    try {
      response = await this.client.mget<IndexedDocument>({ index: collection, ids: [...ids] });
    } catch (error) {
      throw errors.SEARCH_BACKEND_FAILED.error(`Elasticsearch lookup in index "${collection}" failed: ${describeFailure(error)}.`);
    }
    const found = new Map<string, CollectionHit>();
    const failures: string[] = [];
    for (const document of response.docs) {
      if ('error' in document) {
        failures.push(`${document._id}: ${describeCause(document.error)}`);
      } else if (document.found && document._source !== undefined) {
        found.set(document._id, toHit(document._id, 0, document._source, undefined));
      }
    }
    const partialFailure = failures.length === 0 ? undefined : `Elasticsearch lookup in index "${collection}" failed for ${failures.length} of ${ids.length} documents: ${listFailures(failures)}.`;
    return { found, partialFailure };
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Builds the `_search` body: `knn` for vector ranking, `match` for keyword ranking, both for HYBRID. */
  private searchBody(request: CollectionSearch, ranking: SearchMode): estypes.SearchRequest {
    const filter = toFilterClauses(request.filters);
    const knn = { field: 'vector', query_vector: Array.from(request.vector), k: request.first, num_candidates: request.first * CANDIDATES_PER_HIT, filter };
    const query = { bool: { must: [{ match: { text: request.text } }], filter } };
    return {
      index: request.collection,
      size: request.first,
      _source: ['text', 'metadata'],
      highlight: HIGHLIGHT,
      ...(this.searchTimeout === undefined ? {} : { timeout: this.searchTimeout }),
      ...(ranking === 'keyword' ? {} : { knn }),
      ...(ranking === 'vector' ? {} : { query }),
    };
  }
}

/** Describes the failed shards and the timeout of a search response; returns undefined when every shard responded in time. */
export function describeIncompleteSearch(index: string, response: Pick<estypes.SearchResponse, 'timed_out' | '_shards'>): string | undefined {
  const reasons: string[] = [];
  const shards = response._shards;
  if (shards.failed > 0) {
    reasons.push(`${shards.failed} of ${shards.total} shards failed (${describeCause(shards.failures?.[0]?.reason)})`);
  }
  if (response.timed_out) {
    reasons.push('the search timed out');
  }
  return reasons.length === 0 ? undefined : `Elasticsearch search of index "${index}" returned partial results: ${reasons.join(' and ')}.`;
}

/**
 * Returns the cosine similarity behind a kNN score: Elasticsearch scores a `dense_vector` with cosine
 * similarity as (1 + cosine) / 2, and VECTOR scores are cosine similarities whatever the backend.
 */
function cosineOfKnnScore(score: number): number {
  return 2 * score - 1;
}

function toHit(id: string, score: number, source: IndexedDocument | undefined, highlight: string | undefined): CollectionHit {
  const text = source?.text ?? '';
  return { id, score, snippet: highlight ?? text, text, metadata: source?.metadata ?? {} };
}
