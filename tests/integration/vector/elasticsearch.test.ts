import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ElasticsearchBackend } from '../../../subgraphs/vector/backends/elasticsearch.js';
import type { CollectionSearch } from '../../../subgraphs/vector/backends/backend.js';
import { toMetadataFilters } from '../../../subgraphs/vector/filters.js';

/** One request as the fake Elasticsearch received it. */
interface EsRequest {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly authorization: string | undefined;
}

interface FakeReply {
  readonly status: number;
  readonly body: unknown;
}

/**
 * An Elasticsearch on 127.0.0.1 that serves `_search` and `_mget`. Every response carries
 * `x-elastic-product: Elasticsearch`, because `@elastic/elasticsearch` 8 and later reject a server without it.
 */
class FakeElasticsearch {
  readonly requests: EsRequest[] = [];
  reply: (request: EsRequest) => FakeReply = () => ({ status: 200, body: searchResponse([]) });
  private readonly server = http.createServer((request, response) => this.handle(request, response));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const received = { method: request.method ?? '', path: request.url ?? '', body: body === '' ? {} : (JSON.parse(body) as Record<string, unknown>), authorization: request.headers.authorization };
      this.requests.push(received);
      const reply = this.reply(received);
      response.writeHead(reply.status, { 'content-type': 'application/vnd.elasticsearch+json; compatible-with=9', 'x-elastic-product': 'Elasticsearch' });
      response.end(JSON.stringify(reply.body));
    });
  }
}

interface FakeHit {
  readonly id: string;
  readonly score: number;
  readonly metadata: Record<string, unknown>;
  readonly highlight?: string;
}

/** Builds a `_search` response body in Elasticsearch's format. */
function searchResponse(hits: readonly FakeHit[]) {
  return {
    took: 3,
    timed_out: false,
    _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    hits: {
      total: { value: hits.length, relation: 'eq' },
      max_score: hits[0]?.score ?? null,
      hits: hits.map((hit) => ({
        _index: 'speeches',
        _id: hit.id,
        _score: hit.score,
        _source: { text: `text of ${hit.id}`, metadata: hit.metadata },
        ...(hit.highlight === undefined ? {} : { highlight: { text: [hit.highlight] } }),
      })),
    },
  };
}

const VECTOR = new Float32Array([0.5, -0.25, 0.125]);

function searchRequest(overrides: Partial<CollectionSearch> = {}): CollectionSearch {
  return { collection: 'speeches', mode: 'hybrid', text: 'the union preserved', vector: VECTOR, filters: [], first: 4, ...overrides };
}

describe('ElasticsearchBackend against an Elasticsearch server', () => {
  const fake = new FakeElasticsearch();
  let backend: ElasticsearchBackend;

  beforeAll(async () => {
    backend = new ElasticsearchBackend(await fake.start(), 'c2VjcmV0LWtleQ==');
  });

  afterAll(async () => {
    await backend.close();
    await fake.stop();
  });

  beforeEach(() => {
    fake.requests.length = 0;
    fake.reply = () => ({ status: 200, body: searchResponse([]) });
  });

  it('posts to the collection index', async () => {
    await backend.search(searchRequest());
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].method).toBe('POST');
    expect(fake.requests[0].path).toBe('/speeches/_search');
    expect(fake.requests[0].authorization).toBe('ApiKey c2VjcmV0LWtleQ==');
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

  it('applies filters to both knn and query', async () => {
    const filters = toMetadataFilters({ party: { eq: 'Whig' }, president: { in: ['John Tyler'] }, year: { gte: 1841, lt: 1850 } });
    await backend.search(searchRequest({ filters }));
    const expected = [{ term: { 'metadata.party': 'Whig' } }, { terms: { 'metadata.president': ['John Tyler'] } }, { range: { 'metadata.year': { gte: 1841, lt: 1850 } } }];
    const { body } = fake.requests[0];
    expect((body.knn as { filter: unknown }).filter).toEqual(expected);
    expect((body.query as { bool: { filter: unknown } }).bool.filter).toEqual(expected);
  });

  it('asks for plain-text highlight snippets', async () => {
    await backend.search(searchRequest());
    expect(fake.requests[0].body.highlight).toEqual({ pre_tags: [''], post_tags: [''], fields: { text: { fragment_size: 200, number_of_fragments: 1 } } });
  });

  it('maps hits to ids, scores, snippets and metadata', async () => {
    fake.reply = () => ({
      status: 200,
      body: searchResponse([
        { id: '1862-abraham-lincoln-3', score: 7.25, metadata: { year: 1862, party: 'Republican' }, highlight: 'the Union preserved' },
        { id: '1941-franklin-d-roosevelt-8', score: 3.5, metadata: { year: 1941, party: 'Democratic' } },
      ]),
    });
    const hits = await backend.search(searchRequest());
    expect(hits).toEqual([
      { id: '1862-abraham-lincoln-3', score: 7.25, snippet: 'the Union preserved', text: 'text of 1862-abraham-lincoln-3', metadata: { year: 1862, party: 'Republican' } },
      {
        id: '1941-franklin-d-roosevelt-8',
        score: 3.5,
        snippet: 'text of 1941-franklin-d-roosevelt-8',
        text: 'text of 1941-franklin-d-roosevelt-8',
        metadata: { year: 1941, party: 'Democratic' },
      },
    ]);
  });

  it('looks up documents with _mget', async () => {
    fake.reply = () => ({
      status: 200,
      body: {
        docs: [
          { _index: 'speeches', _id: 'a', _version: 1, _seq_no: 0, _primary_term: 1, found: true, _source: { text: 'text of a', metadata: { year: 1900 } } },
          { _index: 'speeches', _id: 'b', found: false },
        ],
      },
    });
    const found = await backend.lookup('speeches', ['a', 'b']);
    expect(fake.requests[0].path).toBe('/speeches/_mget');
    expect(fake.requests[0].body).toEqual({ ids: ['a', 'b'] });
    expect([...found.keys()]).toEqual(['a']);
    expect(found.get('a')).toEqual({ id: 'a', score: 0, snippet: 'text of a', text: 'text of a', metadata: { year: 1900 } });
  });

  it('turns a missing index into SEARCH_BACKEND_FAILED', async () => {
    expect.assertions(2);
    fake.reply = () => ({
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
    fake.reply = () => ({ status: 500, body: { error: { root_cause: [], type: 'illegal_state_exception', reason: 'shard failure' }, status: 500 } });
    const failure = backend.lookup('speeches', ['a']);
    await expect(failure).rejects.toMatchObject({ extensions: { code: 'SEARCH_BACKEND_FAILED' } });
    await expect(failure).rejects.toThrow('Elasticsearch lookup in index "speeches" failed: HTTP 500 illegal_state_exception: shard failure.');
  });
});
