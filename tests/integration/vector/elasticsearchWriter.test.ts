import { vectorSection, type ElasticsearchConfig } from '../../../core/config/sections/vector.js';
import type { CollectionLayout, DocumentToWrite } from '../../../subgraphs/vector/backends/backend.js';
import { ElasticsearchBackend, ElasticsearchIndexWriter } from '../../../subgraphs/vector/backends/elasticsearch/index.js';
import { syncCollection } from '../../../subgraphs/vector/backends/sync.js';
import { contentHash } from '../../../subgraphs/vector/index/index.js';
import { FakeElasticsearch, type FakeIndex } from './fakes/elasticsearch.js';
import { embedBySource, sourceDocuments } from './syncSources.js';

function elasticsearchConfig(options: Record<string, unknown>): ElasticsearchConfig {
  return vectorSection.parse({ backend: { kind: 'elasticsearch', ...options } }).backend as ElasticsearchConfig;
}

const LAYOUT: CollectionLayout = {
  name: 'speeches',
  dimension: 3,
  metadata: [
    { name: 'president', type: 'text' },
    { name: 'year', type: 'number' },
    { name: 'inaugural', type: 'boolean' },
  ],
};

function documentToWrite(id: string, vector?: number[]): DocumentToWrite {
  return { id, text: `text of ${id}`, metadata: { year: 1900 }, contentHash: `hash-${id}`, vector: vector === undefined ? undefined : Float32Array.from(vector) };
}

/** Stores documents in the fake directly, as an earlier run would have. */
function storeDocuments(fake: FakeElasticsearch, ids: readonly string[]): void {
  const index: FakeIndex = fake.indices.get('speeches') ?? { mappings: {}, documents: new Map() };
  ids.forEach((id) => index.documents.set(id, { text: `text of ${id}`, metadata: {}, content_hash: `hash-${id}` }));
  fake.indices.set('speeches', index);
}

describe('ElasticsearchIndexWriter against an Elasticsearch server', () => {
  const fake = new FakeElasticsearch();
  let url: string;
  let writer: ElasticsearchIndexWriter;

  beforeAll(async () => {
    url = await fake.start();
    writer = new ElasticsearchIndexWriter(elasticsearchConfig({ url, maxRetries: 0 }));
  });

  afterAll(async () => {
    await writer.close();
    await fake.stop();
  });

  beforeEach(() => {
    fake.reset();
  });

  it('puts an index template with a dense_vector of the model dimension', async () => {
    await writer.prepare(LAYOUT);
    const [put] = fake.requestsTo('PUT /_index_template/meshgate-speeches');
    expect(put.body).toEqual({
      index_patterns: ['speeches'],
      _meta: { managed_by: 'meshgate', collection: 'speeches' },
      template: {
        mappings: {
          dynamic_templates: [{ metadata_strings: { path_match: 'metadata.*', match_mapping_type: 'string', mapping: { type: 'keyword' } } }],
          properties: {
            text: { type: 'text' },
            vector: { type: 'dense_vector', dims: 3, index: true, similarity: 'cosine' },
            content_hash: { type: 'keyword', index: false },
            metadata: { type: 'object', properties: { president: { type: 'keyword' }, year: { type: 'double' }, inaugural: { type: 'boolean' } } },
          },
        },
      },
    });
  });

  it('creates a missing index after the template', async () => {
    await writer.prepare(LAYOUT);
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['PUT /_index_template/meshgate-speeches', 'HEAD /speeches', 'PUT /speeches']);
    expect(fake.indices.get('speeches')?.mappings.properties?.vector).toEqual({ type: 'dense_vector', dims: 3, index: true, similarity: 'cosine' });
  });

  it('keeps an existing index with the model dimension', async () => {
    await writer.prepare(LAYOUT);
    fake.requests.length = 0;
    await writer.prepare(LAYOUT);
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['PUT /_index_template/meshgate-speeches', 'HEAD /speeches', 'GET /speeches/_mapping']);
  });

  it('rejects an existing index with another vector dimension', async () => {
    expect.assertions(1);
    await writer.prepare({ ...LAYOUT, dimension: 384 });
    await expect(writer.prepare(LAYOUT)).rejects.toThrow(
      'Elasticsearch index "speeches" maps vector with 384 dimensions, but the embedding model has 3; delete the index so that the pipeline re-creates it.',
    );
  });

  it('reports a rejected template with status, type and reason', async () => {
    expect.assertions(1);
    fake.routeReplies.set('PUT /_index_template/meshgate-speeches', {
      status: 403,
      body: { error: { type: 'security_exception', reason: 'action [indices:admin/index_template/put] is unauthorized' }, status: 403 },
    });
    await expect(writer.prepare(LAYOUT)).rejects.toThrow(
      'Elasticsearch update of index template for "speeches" failed: HTTP 403 security_exception: action [indices:admin/index_template/put] is unauthorized.',
    );
  });

  it('indexes documents as bulk NDJSON lines under their ids', async () => {
    await writer.prepare(LAYOUT);
    await writer.write(LAYOUT, [documentToWrite('a', [0.5, -0.25, 0.125]), documentToWrite('b')]);
    const [bulk] = fake.requestsTo('POST /_bulk');
    expect(bulk.lines).toEqual([
      { index: { _index: 'speeches', _id: 'a' } },
      { text: 'text of a', metadata: { year: 1900 }, content_hash: 'hash-a', vector: [0.5, -0.25, 0.125] },
      { index: { _index: 'speeches', _id: 'b' } },
      { text: 'text of b', metadata: { year: 1900 }, content_hash: 'hash-b' },
    ]);
    expect([...(fake.indices.get('speeches')?.documents.keys() ?? [])]).toEqual(['a', 'b']);
  });

  it('reports bulk items Elasticsearch rejected', async () => {
    expect.assertions(2);
    await writer.prepare(LAYOUT);
    const failure = writer.write(LAYOUT, [documentToWrite('a', [1, 0, 0]), documentToWrite('b', [1, 0]), documentToWrite('c', [0, 0, 0])]);
    await expect(failure).rejects.toThrow(
      'Elasticsearch rejected 2 of 3 documents of index "speeches": ' +
        "b: document_parsing_exception: [1:1] The [dense_vector] field [vector] in doc [document with id 'b'] has a different number of dimensions [2] than defined in the mapping [3]; " +
        'c: document_parsing_exception: [1:30] The [cosine] similarity does not support vectors with zero magnitude.',
    );
    expect([...(fake.indices.get('speeches')?.documents.keys() ?? [])]).toEqual(['a']);
  });

  it('reports a bulk request that failed with HTTP 500', async () => {
    expect.assertions(1);
    fake.routeReplies.set('POST /_bulk', { status: 500, body: { error: { type: 'illegal_state_exception', reason: 'no master' }, status: 500 } });
    await expect(writer.write(LAYOUT, [documentToWrite('a')])).rejects.toThrow('Elasticsearch bulk indexing into index "speeches" failed: HTTP 500 illegal_state_exception: no master.');
  });

  it('fails a bulk request that exceeds timeoutMs', async () => {
    expect.assertions(1);
    fake.hangingRoutes.add('POST /_bulk');
    const impatient = new ElasticsearchIndexWriter(elasticsearchConfig({ url, timeoutMs: 150, maxRetries: 0 }));
    await expect(impatient.write(LAYOUT, [documentToWrite('a')])).rejects.toThrow('Elasticsearch bulk indexing into index "speeches" failed: Request timed out.');
    await impatient.close();
  });

  it('deletes documents with bulk delete lines', async () => {
    storeDocuments(fake, ['a', 'b', 'c']);
    await writer.remove('speeches', ['a', 'c', 'gone']);
    const [bulk] = fake.requestsTo('POST /_bulk');
    expect(bulk.lines).toEqual([{ delete: { _index: 'speeches', _id: 'a' } }, { delete: { _index: 'speeches', _id: 'c' } }, { delete: { _index: 'speeches', _id: 'gone' } }]);
    expect([...(fake.indices.get('speeches')?.documents.keys() ?? [])]).toEqual(['b']);
  });

  it('reports bulk delete items with an error', async () => {
    expect.assertions(1);
    fake.routeReplies.set('POST /_bulk', {
      status: 200,
      body: {
        took: 2,
        errors: true,
        items: [
          { delete: { _index: 'speeches', _id: 'a', status: 200, result: 'deleted' } },
          { delete: { _index: 'speeches', _id: 'b', status: 429, error: { type: 'es_rejected_execution_exception', reason: 'rejected execution of coordinating operation' } } },
        ],
      },
    });
    await expect(writer.remove('speeches', ['a', 'b'])).rejects.toThrow(
      'Elasticsearch failed to delete 1 of 2 documents of index "speeches": b: es_rejected_execution_exception: rejected execution of coordinating operation.',
    );
  });

  it('lists stored content hashes across scroll pages', async () => {
    const ids = Array.from({ length: 2_345 }, (_, i) => `doc-${String(i).padStart(4, '0')}`);
    storeDocuments(fake, ids);
    const hashes = await writer.storedHashes('speeches');
    expect(hashes.size).toBe(2_345);
    expect(hashes.get('doc-2344')).toBe('hash-doc-2344');
    const [first] = fake.requestsTo('POST /speeches/_search');
    expect(first.query.get('scroll')).toBe('1m');
    expect(first.body).toEqual({ size: 1_000, _source: ['content_hash'], sort: ['_doc'], query: { match_all: {} } });
    expect(fake.requestsTo('POST /_search/scroll')).toHaveLength(3);
    expect(fake.requestsTo('DELETE /_search/scroll')).toHaveLength(1);
  });

  it('fails a listing with failed shards', async () => {
    expect.assertions(1);
    fake.routeReplies.set('POST /speeches/_search', {
      status: 200,
      body: {
        _scroll_id: 'scroll-1',
        timed_out: false,
        _shards: { total: 2, successful: 1, skipped: 0, failed: 1, failures: [{ shard: 1, index: 'speeches', reason: { type: 'node_not_connected_exception', reason: '[n2] Node not connected' } }] },
        hits: { total: { value: 1, relation: 'eq' }, max_score: null, hits: [{ _index: 'speeches', _id: 'a', _score: null, _source: { content_hash: 'h' } }] },
      },
    });
    await expect(writer.storedHashes('speeches')).rejects.toThrow(
      'Elasticsearch listing of index "speeches" failed: 1 of 2 shards failed (node_not_connected_exception: [n2] Node not connected).',
    );
  });
});

describe('syncCollection into Elasticsearch', () => {
  const fake = new FakeElasticsearch();
  let url: string;
  const writers: ElasticsearchIndexWriter[] = [];

  function openWriter(options: Record<string, unknown> = {}): ElasticsearchIndexWriter {
    const writer = new ElasticsearchIndexWriter(elasticsearchConfig({ url, ...options }));
    writers.push(writer);
    return writer;
  }

  beforeAll(async () => {
    url = await fake.start();
  });

  afterAll(async () => {
    await Promise.all(writers.map((writer) => writer.close()));
    await fake.stop();
  });

  beforeEach(() => {
    fake.reset();
  });

  it('indexes every document in bulk requests of batchSize', async () => {
    const progress: Array<[number, string]> = [];
    const counts = await syncCollection(openWriter({ batchSize: 3 }), LAYOUT, sourceDocuments(), embedBySource, (count, step) => progress.push([count, step]));
    expect(counts).toEqual({ added: 4, updated: 0, removed: 0, unchanged: 0 });
    expect(fake.requestsTo('POST /_bulk').map((request) => request.lines.length / 2)).toEqual([3, 1]);
    expect(progress).toEqual([
      [0, 'unchanged'],
      [3, 'written'],
      [1, 'written'],
    ]);
  });

  it('stores content hashes and no zero vector', async () => {
    await syncCollection(openWriter(), LAYOUT, sourceDocuments(), embedBySource, () => undefined);
    const documents = fake.indices.get('speeches')?.documents;
    expect(documents?.get('p1')?.content_hash).toBe(contentHash(sourceDocuments()[0]));
    expect(documents?.get('p4')?.vector).toBeUndefined();
    expect(documents?.get('p3')?.vector).toEqual(Array.from(Float32Array.from([0.6, 0.8, 0])));
  });

  it('writes changed and new documents and deletes stale ones on the next run', async () => {
    const writer = openWriter();
    await syncCollection(writer, LAYOUT, sourceDocuments(), embedBySource, () => undefined);
    fake.requests.length = 0;

    const [p1, p2, p3] = sourceDocuments();
    const next = [p1, { ...p2, text: 'a date which will live in infamy.' }, p3, { id: 'p5', text: 'new passage', metadata: { president: 'Someone', year: 2020 } }];
    const counts = await syncCollection(writer, LAYOUT, next, embedBySource, () => undefined);

    expect(counts).toEqual({ added: 1, updated: 1, removed: 1, unchanged: 2 });
    const [written, deleted] = fake.requestsTo('POST /_bulk');
    expect(written.lines.filter((_, i) => i % 2 === 0)).toEqual([{ index: { _index: 'speeches', _id: 'p2' } }, { index: { _index: 'speeches', _id: 'p5' } }]);
    expect(deleted.lines).toEqual([{ delete: { _index: 'speeches', _id: 'p4' } }]);
    expect([...(fake.indices.get('speeches')?.documents.keys() ?? [])].sort()).toEqual(['p1', 'p2', 'p3', 'p5']);
  });

  it('scores synced documents by cosine similarity', async () => {
    await syncCollection(openWriter(), LAYOUT, sourceDocuments(), embedBySource, () => undefined);
    const backend = new ElasticsearchBackend(elasticsearchConfig({ url }));
    const { hits } = await backend.search({ collection: 'speeches', mode: 'vector', text: '', vector: Float32Array.from([0.8, 0.6, 0]), filters: [], first: 2 });
    await backend.close();
    // cos(q, p3) = 0.8·0.6 + 0.6·0.8 = 0.96 and cos(q, p1) = 0.8, both vectors of unit length.
    expect(hits.map((hit) => hit.id)).toEqual(['p3', 'p1']);
    expect(hits[0].score).toBeCloseTo(0.96, 6);
    expect(hits[1].score).toBeCloseTo(0.8, 6);
  });
});
