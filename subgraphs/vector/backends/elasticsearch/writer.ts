import type { Client, estypes } from '@elastic/elasticsearch';
import type { ElasticsearchConfig } from '../../../../core/config/sections/vector.js';
import type { CollectionLayout, DocumentToWrite, IndexWriter } from '../backend.js';
import { listFailures } from '../failures.js';
import { connectElasticsearch, describeCause, describeFailure } from './connection.js';
import { indexTemplate } from './template.js';

/** Documents per page when listing the stored content hashes with a scroll search. */
const LIST_PAGE_SIZE = 1_000;

/** How long Elasticsearch keeps the scroll context between two pages of the listing. */
const SCROLL_KEEP_ALIVE = '1m';

/** `_source` of a document as the writer stores it; the search backend reads `text` and `metadata`. */
interface StoredSource {
  readonly text: string;
  readonly metadata: DocumentToWrite['metadata'];
  readonly content_hash: string;
  /** Absent for a document whose embedding has no direction; Elasticsearch rejects a zero vector under cosine similarity. */
  readonly vector?: number[];
}

/**
 * Writes collections into Elasticsearch: an index template per collection, its index created when
 * missing, documents indexed and deleted with the bulk API under their document ids. Each bulk
 * item's error is reported. New documents become searchable after the index's refresh interval.
 */
export class ElasticsearchIndexWriter implements IndexWriter {
  readonly kind = 'elasticsearch';
  readonly batchSize: number;
  private readonly client: Client;

  /** @throws ConfigError when the API key's environment variable or file cannot be read. */
  constructor(config: ElasticsearchConfig) {
    this.client = connectElasticsearch(config);
    this.batchSize = config.batchSize;
  }

  async prepare(layout: CollectionLayout): Promise<void> {
    const index = layout.name;
    await this.send(`update of index template for "${index}"`, this.client.indices.putIndexTemplate(indexTemplate(layout)));
    const exists = await this.send(`check of index "${index}"`, this.client.indices.exists({ index }));
    if (!exists) {
      await this.send(`creation of index "${index}"`, this.client.indices.create({ index }));
      return;
    }
    const mappings = await this.send(`mapping read of index "${index}"`, this.client.indices.getMapping({ index }));
    checkVectorDimension(index, mappings, layout.dimension);
  }

  async storedHashes(collection: string): Promise<Map<string, string>> {
    const hashes = new Map<string, string>();
    const request: estypes.SearchRequest = { index: collection, scroll: SCROLL_KEEP_ALIVE, size: LIST_PAGE_SIZE, _source: ['content_hash'], sort: ['_doc'], query: { match_all: {} } };
    try {
      for await (const page of this.client.helpers.scrollSearch<Pick<StoredSource, 'content_hash'>>(request)) {
        checkCompleteListing(page.body);
        for (const hit of page.body.hits.hits) {
          hashes.set(hit._id ?? '', hit._source?.content_hash ?? '');
        }
      }
    } catch (error) {
      throw new Error(`Elasticsearch listing of index "${collection}" failed: ${describeFailure(error)}.`, { cause: error });
    }
    return hashes;
  }

  async write(layout: CollectionLayout, documents: readonly DocumentToWrite[]): Promise<void> {
    const operations = documents.flatMap((document) => [{ index: { _index: layout.name, _id: document.id } }, toSource(document)]);
    const response = await this.send(`bulk indexing into index "${layout.name}"`, this.client.bulk({ operations }));
    const failures = itemFailures(response, 'index');
    if (failures.length > 0) {
      throw new Error(`Elasticsearch rejected ${failures.length} of ${documents.length} documents of index "${layout.name}": ${listFailures(failures)}.`);
    }
  }

  async remove(collection: string, ids: readonly string[]): Promise<void> {
    const operations = ids.map((id) => ({ delete: { _index: collection, _id: id } }));
    const response = await this.send(`bulk delete from index "${collection}"`, this.client.bulk({ operations }));
    const failures = itemFailures(response, 'delete');
    if (failures.length > 0) {
      throw new Error(`Elasticsearch failed to delete ${failures.length} of ${ids.length} documents of index "${collection}": ${listFailures(failures)}.`);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Awaits a request; `operation` names it in the error, such as `bulk indexing into index "speeches"`. */
  private async send<T>(operation: string, request: Promise<T>): Promise<T> {
    try {
      return await request;
    } catch (error) {
      throw new Error(`Elasticsearch ${operation} failed: ${describeFailure(error)}.`, { cause: error });
    }
  }
}

function toSource(document: DocumentToWrite): StoredSource {
  const source = { text: document.text, metadata: document.metadata, content_hash: document.contentHash };
  return document.vector === undefined ? source : { ...source, vector: Array.from(document.vector) };
}

/**
 * Returns "id: type: reason" for each bulk item that carries an error. Deleting a document that is
 * not stored returns HTTP 404 with `result: not_found` and no error, so it is not a failure.
 */
function itemFailures(response: estypes.BulkResponse, action: 'index' | 'delete'): string[] {
  if (!response.errors) {
    return [];
  }
  return response.items.flatMap((item) => {
    const result = item[action];
    return result?.error === undefined ? [] : [`${result._id ?? '(no id)'}: ${describeCause(result.error)}`];
  });
}

/**
 * Throws when an existing index maps `vector` with another dimension than the embedding model's,
 * because every write would fail: the template applies only when an index is created.
 */
function checkVectorDimension(index: string, mappings: estypes.IndicesGetMappingResponse, dimension: number): void {
  const vector = mappings[index]?.mappings?.properties?.vector as { dims?: number } | undefined;
  if (vector?.dims !== undefined && vector.dims !== dimension) {
    throw new Error(`Elasticsearch index "${index}" maps vector with ${vector.dims} dimensions, but the embedding model has ${dimension}; delete the index so that the pipeline re-creates it.`);
  }
}

/** Throws when a listing page missed shards or timed out, because an incomplete listing would leave stale documents behind. */
function checkCompleteListing(response: Pick<estypes.SearchResponse, '_shards' | 'timed_out'>): void {
  if (response._shards.failed > 0) {
    throw new Error(`${response._shards.failed} of ${response._shards.total} shards failed (${describeCause(response._shards.failures?.[0]?.reason)})`);
  }
  if (response.timed_out) {
    throw new Error('the scroll search timed out');
  }
}
