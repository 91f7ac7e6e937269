import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vectorSection, type ElasticsearchConfig } from '../../../core/config/sections/vector.js';
import type { CollectionSearch } from '../../../subgraphs/vector/backends/backend.js';
import { ElasticsearchBackend } from '../../../subgraphs/vector/backends/elasticsearch/index.js';
import { toMetadataFilters } from '../../../subgraphs/vector/filters.js';
import { FakeElasticsearch, searchResponse } from './fakes/elasticsearch.js';

const KEY_VARIABLE = 'MESHGATE_TEST_ELASTICSEARCH_KEY';

/** Builds `vector.backend` as the config loader does, defaults filled in. */
function elasticsearchConfig(options: Record<string, unknown>): ElasticsearchConfig {
  return vectorSection.parse({ backend: { kind: 'elasticsearch', ...options } }).backend as ElasticsearchConfig;
}

const VECTOR = new Float32Array([0.5, -0.25, 0.125]);

function searchRequest(overrides: Partial<CollectionSearch> = {}): CollectionSearch {
  return { collection: 'speeches', mode: 'hybrid', text: 'the union preserved', vector: VECTOR, filters: [], first: 4, ...overrides };
}

describe('ElasticsearchBackend against an Elasticsearch server', () => {
  const fake = new FakeElasticsearch();
  let url: string;
  let backend: ElasticsearchBackend;

  beforeAll(async () => {
    url = await fake.start();
    process.env[KEY_VARIABLE] = 'c2VjcmV0LWtleQ==';
    backend = new ElasticsearchBackend(elasticsearchConfig({ url, apiKeyEnv: KEY_VARIABLE, maxRetries: 0 }));
  });

  afterAll(async () => {
    delete process.env[KEY_VARIABLE];
    await backend.close();
    await fake.stop();
  });

  beforeEach(() => {
    fake.reset();
  });

  it('posts to the collection index with the key of apiKeyEnv', async () => {
    await backend.search(searchRequest());
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].method).toBe('POST');
    expect(fake.requests[0].path).toBe('/speeches/_search');
    expect(fake.requests[0].authorization).toBe('ApiKey c2VjcmV0LWtleQ==');
  });

  it('sends the key of apiKeyFile', async () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'meshgate-es-key-'));
    const keyFile = path.join(directory, 'api-key');
    writeFileSync(keyFile, '  ZmlsZS1rZXk=\n');
    const keyed = new ElasticsearchBackend(elasticsearchConfig({ url, apiKeyFile: keyFile }));
    try {
      await keyed.search(searchRequest());
      expect(fake.requests[0].authorization).toBe('ApiKey ZmlsZS1rZXk=');
    } finally {
      await keyed.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('rejects an empty apiKeyFile at construction', () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'meshgate-es-key-'));
    const keyFile = path.join(directory, 'api-key');
    writeFileSync(keyFile, '\n');
    try {
      expect(() => new ElasticsearchBackend(elasticsearchConfig({ url, apiKeyFile: keyFile }))).toThrow(
        `vector.backend.apiKeyFile: ${keyFile} is empty; write the API key into it or remove vector.backend.apiKeyFile`,
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('sends knn and match query in hybrid mode', async () => {
    await backend.search(searchRequest({ first: 6 }));
    const { body } = fake.requests[0];
    expect(body.size).toBe(6);
    expect(body.knn).toEqual({ field: 'vector', query_vector: [0.5, -0.25, 0.125], k: 6, num_candidates: 60, filter: [] });
    expect(body.query).toEqual({ bool: { must: [{ match: { text: 'the union preserved' } }], filter: [] } });
  });

  it('sends only the match query in keyword mode', async () => {
    await backend.search(searchRequest({ mode: 'keyword' }));
    expect(fake.requests[0].body.knn).toBeUndefined();
    expect(fake.requests[0].body.query).toEqual({ bool: { must: [{ match: { text: 'the union preserved' } }], filter: [] } });
  });

  it('sends only knn in vector mode', async () => {
    await backend.search(searchRequest({ mode: 'vector' }));
    expect(fake.requests[0].body.query).toBeUndefined();
    expect(fake.requests[0].body.knn).toEqual({ field: 'vector', query_vector: [0.5, -0.25, 0.125], k: 4, num_candidates: 40, filter: [] });
  });

  it('sends no request for a vector without direction in vector mode', async () => {
    const result = await backend.search(searchRequest({ mode: 'vector', vector: new Float32Array(3) }));
    expect(result).toEqual({ hits: [] });
    expect(fake.requests).toHaveLength(0);
  });

  it('sends only the match query for a vector without direction in hybrid mode', async () => {
    await backend.search(searchRequest({ mode: 'hybrid', vector: new Float32Array(3) }));
    expect(fake.requests[0].body.knn).toBeUndefined();
    expect(fake.requests[0].body.query).toEqual({ bool: { must: [{ match: { text: 'the union preserved' } }], filter: [] } });
  });

  it('applies filters to both knn and query', async () => {
    const filters = toMetadataFilters({ party: { eq: 'Whig' }, president: { in: ['John Tyler'] }, year: { gte: 1841, lt: 1850 } });
    await backend.search(searchRequest({ filters }));
    const expected = [{ term: { 'metadata.party': 'Whig' } }, { terms: { 'metadata.president': ['John Tyler'] } }, { range: { 'metadata.year': { gte: 1841, lt: 1850 } } }];
    const { body } = fake.requests[0];
    expect((body.knn as { filter: unknown }).filter).toEqual(expected);
    expect((body.query as { bool: { filter: unknown } }).bool.filter).toEqual(expected);
  });

  it('asks for plain-text highlight snippets and only text and metadata', async () => {
    await backend.search(searchRequest());
    expect(fake.requests[0].body.highlight).toEqual({ pre_tags: [''], post_tags: [''], fields: { text: { fragment_size: 200, number_of_fragments: 1 } } });
    expect(fake.requests[0].body._source).toEqual(['text', 'metadata']);
  });

  it('sends no search timeout by default', async () => {
    await backend.search(searchRequest());
    expect(fake.requests[0].body.timeout).toBeUndefined();
  });

  it('sends searchTimeoutMs as the search timeout', async () => {
    const bounded = new ElasticsearchBackend(elasticsearchConfig({ url, searchTimeoutMs: 750 }));
    await bounded.search(searchRequest());
    await bounded.close();
    expect(fake.requests[0].body.timeout).toBe('750ms');
  });

  it('maps hits to ids, scores, snippets and metadata', async () => {
    fake.searchReply = () => ({
      status: 200,
      body: searchResponse([
        { id: '1862-abraham-lincoln-3', score: 7.25, metadata: { year: 1862, party: 'Republican' }, highlight: 'the Union preserved' },
        { id: '1941-franklin-d-roosevelt-8', score: 3.5, metadata: { year: 1941, party: 'Democratic' } },
      ]),
    });
    const result = await backend.search(searchRequest());
    expect(result).toEqual({
      hits: [
        { id: '1862-abraham-lincoln-3', score: 7.25, snippet: 'the Union preserved', text: 'text of 1862-abraham-lincoln-3', metadata: { year: 1862, party: 'Republican' } },
        {
          id: '1941-franklin-d-roosevelt-8',
          score: 3.5,
          snippet: 'text of 1941-franklin-d-roosevelt-8',
          text: 'text of 1941-franklin-d-roosevelt-8',
          metadata: { year: 1941, party: 'Democratic' },
        },
      ],
      partialFailure: undefined,
    });
  });

  it('turns kNN scores into cosine similarities in vector mode', async () => {
    fake.searchReply = () => ({ status: 200, body: searchResponse([{ id: 'a', score: 0.9, metadata: {} }, { id: 'b', score: 0.25, metadata: {} }]) });
    const { hits } = await backend.search(searchRequest({ mode: 'vector' }));
    // Elasticsearch's kNN score for cosine similarity is (1 + cosine) / 2.
    expect(hits.map((hit) => [hit.id, hit.score])).toEqual([
      ['a', 0.8],
      ['b', -0.5],
    ]);
  });

  it('returns hits of failed shards and a timeout with a partial failure', async () => {
    fake.searchReply = () => ({
      status: 200,
      body: {
        ...searchResponse([{ id: 'a', score: 2.5, metadata: { year: 1900 } }]),
        timed_out: true,
        _shards: {
          total: 3,
          successful: 2,
          skipped: 0,
          failed: 1,
          failures: [{ shard: 2, index: 'speeches', node: 'n2', reason: { type: 'node_disconnected_exception', reason: '[n2][10.0.0.2:9300] disconnected' } }],
        },
      },
    });
    const result = await backend.search(searchRequest());
    expect(result.hits.map((hit) => [hit.id, hit.score])).toEqual([['a', 2.5]]);
    expect(result.partialFailure).toBe(
      'Elasticsearch search of index "speeches" returned partial results: 1 of 3 shards failed (node_disconnected_exception: [n2][10.0.0.2:9300] disconnected) and the search timed out.',
    );
  });

  it('reports a timed-out search alone', async () => {
    fake.searchReply = () => ({ status: 200, body: { ...searchResponse([]), timed_out: true } });
    const result = await backend.search(searchRequest());
    expect(result.partialFailure).toBe('Elasticsearch search of index "speeches" returned partial results: the search timed out.');
  });

  it('looks up documents with _mget', async () => {
    fake.routeReplies.set('POST /speeches/_mget', {
      status: 200,
      body: {
        docs: [
          { _index: 'speeches', _id: 'a', _version: 1, _seq_no: 0, _primary_term: 1, found: true, _source: { text: 'text of a', metadata: { year: 1900 } } },
          { _index: 'speeches', _id: 'b', found: false },
        ],
      },
    });
    const { found, partialFailure } = await backend.lookup('speeches', ['a', 'b']);
    expect(fake.requests[0].path).toBe('/speeches/_mget');
    expect(fake.requests[0].body).toEqual({ ids: ['a', 'b'] });
    expect([...found.keys()]).toEqual(['a']);
    expect(found.get('a')).toEqual({ id: 'a', score: 0, snippet: 'text of a', text: 'text of a', metadata: { year: 1900 } });
    expect(partialFailure).toBeUndefined();
  });

  it('reports documents _mget failed to read as a partial failure', async () => {
    fake.routeReplies.set('POST /speeches/_mget', {
      status: 200,
      body: {
        docs: [
          { _index: 'speeches', _id: 'a', found: true, _source: { text: 'text of a', metadata: {} } },
          { _index: 'speeches', _id: 'b', error: { type: 'no_shard_available_action_exception', reason: 'No shard available for [get [speeches][b]]' } },
        ],
      },
    });
    const { found, partialFailure } = await backend.lookup('speeches', ['a', 'b']);
    expect([...found.keys()]).toEqual(['a']);
    expect(partialFailure).toBe(
      'Elasticsearch lookup in index "speeches" failed for 1 of 2 documents: b: no_shard_available_action_exception: No shard available for [get [speeches][b]].',
    );
  });

  it('turns a missing index into SEARCH_BACKEND_FAILED', async () => {
    expect.assertions(2);
    fake.searchReply = () => ({
      status: 404,
      body: {
        error: {
          root_cause: [{ type: 'index_not_found_exception', reason: 'no such index [speeches]', index: 'speeches' }],
          type: 'index_not_found_exception',
          reason: 'no such index [speeches]',
          index: 'speeches',
        },
        status: 404,
      },
    });
    const failure = backend.search(searchRequest());
    await expect(failure).rejects.toMatchObject({ extensions: { code: 'SEARCH_BACKEND_FAILED' } });
    await expect(failure).rejects.toThrow('Elasticsearch search of index "speeches" failed: HTTP 404 index_not_found_exception: no such index [speeches].');
  });

  it('turns a failed lookup into SEARCH_BACKEND_FAILED', async () => {
    expect.assertions(2);
    fake.routeReplies.set('POST /speeches/_mget', { status: 500, body: { error: { root_cause: [], type: 'illegal_state_exception', reason: 'shard failure' }, status: 500 } });
    const failure = backend.lookup('speeches', ['a']);
    await expect(failure).rejects.toMatchObject({ extensions: { code: 'SEARCH_BACKEND_FAILED' } });
    await expect(failure).rejects.toThrow('Elasticsearch lookup in index "speeches" failed: HTTP 500 illegal_state_exception: shard failure.');
  });

  it('fails a search that exceeds timeoutMs', async () => {
    expect.assertions(2);
    fake.hangingRoutes.add('POST /speeches/_search');
    const impatient = new ElasticsearchBackend(elasticsearchConfig({ url, timeoutMs: 150 }));
    const failure = impatient.search(searchRequest());
    await expect(failure).rejects.toMatchObject({ extensions: { code: 'SEARCH_BACKEND_FAILED' } });
    await expect(failure).rejects.toThrow('Elasticsearch search of index "speeches" failed: Request timed out.');
    await impatient.close();
  });

  it('repeats a search after HTTP 503 up to maxRetries times', async () => {
    expect.assertions(2);
    fake.routeReplies.set('POST /speeches/_search', { status: 503, body: { error: { type: 'cluster_block_exception', reason: 'blocked by: [SERVICE_UNAVAILABLE/1/state not recovered]' }, status: 503 } });
    const retrying = new ElasticsearchBackend(elasticsearchConfig({ url, maxRetries: 2 }));
    await expect(retrying.search(searchRequest())).rejects.toThrow(
      'Elasticsearch search of index "speeches" failed: HTTP 503 cluster_block_exception: blocked by: [SERVICE_UNAVAILABLE/1/state not recovered].',
    );
    expect(fake.requestsTo('POST /speeches/_search')).toHaveLength(3);
    await retrying.close();
  });

  it('returns the hits of a retry that succeeds', async () => {
    let attempts = 0;
    fake.searchReply = () => {
      attempts += 1;
      return attempts === 1 ? { status: 502, body: { error: { type: 'bad_gateway', reason: 'proxy' }, status: 502 } } : { status: 200, body: searchResponse([{ id: 'a', score: 1.5, metadata: {} }]) };
    };
    const retrying = new ElasticsearchBackend(elasticsearchConfig({ url, maxRetries: 1 }));
    const { hits } = await retrying.search(searchRequest());
    await retrying.close();
    expect(hits.map((hit) => hit.id)).toEqual(['a']);
    expect(attempts).toBe(2);
  });
});
