import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vectorSection, type WeaviateConfig } from '../../../core/config/sections/vector.js';
import type { CollectionSearch } from '../../../subgraphs/vector/backends/backend.js';
import { WeaviateBackend } from '../../../subgraphs/vector/backends/weaviate/index.js';
import { toMetadataFilters } from '../../../subgraphs/vector/filters.js';
import type { FakeReply } from './fakes/recordingServer.js';
import { FakeWeaviate, type GetRequest } from './fakes/weaviate.js';

const KEY_VARIABLE = 'MESHGATE_TEST_WEAVIATE_KEY';

/** Builds `vector.backend` as the config loader does, defaults filled in. */
function weaviateConfig(options: Record<string, unknown>): WeaviateConfig {
  return vectorSection.parse({ backend: { kind: 'weaviate', ...options } }).backend as WeaviateConfig;
}

/** A Weaviate object of the Speeches class; Weaviate returns BM25 and hybrid scores as strings. */
function speechObject(docId: string, additional: Record<string, unknown>, metadata: Record<string, unknown>) {
  return { docId, text: `text of ${docId}`, metadata: JSON.stringify(metadata), _additional: additional };
}

function getReply(objects: unknown[]): (request: GetRequest) => FakeReply {
  return () => ({ status: 200, body: { data: { Get: { Speeches: objects } } } });
}

const VECTOR = new Float32Array([0.5, -0.25, 0.125]);

function searchRequest(overrides: Partial<CollectionSearch> = {}): CollectionSearch {
  return { collection: 'speeches', mode: 'hybrid', text: 'the union "preserved"', vector: VECTOR, filters: [], first: 4, ...overrides };
}

describe('WeaviateBackend against a Weaviate server', () => {
  const fake = new FakeWeaviate();
  let url: string;
  let backend: WeaviateBackend;

  beforeAll(async () => {
    url = await fake.start();
    process.env[KEY_VARIABLE] = 'secret-key';
    backend = new WeaviateBackend(weaviateConfig({ url, apiKeyEnv: KEY_VARIABLE }));
  });

  afterAll(async () => {
    delete process.env[KEY_VARIABLE];
    await backend.close();
    await fake.stop();
  });

  beforeEach(() => {
    fake.reset();
    fake.getReply = getReply([]);
  });

  it('sends the key of apiKeyEnv as bearer token', async () => {
    await backend.search(searchRequest());
    expect(fake.queries[0].authorization).toBe('Bearer secret-key');
  });

  it('sends the key of apiKeyFile as bearer token', async () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'meshgate-weaviate-key-'));
    const keyFile = path.join(directory, 'api-key');
    writeFileSync(keyFile, 'file-key\n');
    try {
      await new WeaviateBackend(weaviateConfig({ url, apiKeyFile: keyFile })).search(searchRequest());
      expect(fake.queries[0].authorization).toBe('Bearer file-key');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('sends no authorization without a key source', async () => {
    await new WeaviateBackend(weaviateConfig({ url })).search(searchRequest());
    expect(fake.queries[0].authorization).toBeUndefined();
  });

  it('rejects an unset apiKeyEnv variable at construction', () => {
    expect(() => new WeaviateBackend(weaviateConfig({ url, apiKeyEnv: 'MESHGATE_TEST_UNSET_VARIABLE' }))).toThrow(
      'vector.backend.apiKeyEnv: the environment variable MESHGATE_TEST_UNSET_VARIABLE is not set or is empty; set it to the API key or remove vector.backend.apiKeyEnv',
    );
  });

  it('sends bm25 on the text property in keyword mode', async () => {
    await backend.search(searchRequest({ mode: 'keyword' }));
    const [query] = fake.queries;
    expect(query.args.bm25).toEqual({ query: 'the union "preserved"', properties: ['text'] });
    expect(query.args.hybrid).toBeUndefined();
    expect(query.args.nearVector).toBeUndefined();
    expect(query.selection).toEqual(['docId', 'text', 'metadata', '_additional.score']);
  });

  it('sends nearVector in vector mode', async () => {
    await backend.search(searchRequest({ mode: 'vector' }));
    const [query] = fake.queries;
    expect(query.args.nearVector).toEqual({ vector: [0.5, -0.25, 0.125] });
    expect(query.args.bm25).toBeUndefined();
    expect(query.args.hybrid).toBeUndefined();
    expect(query.selection).toEqual(['docId', 'text', 'metadata', '_additional.distance']);
  });

  it('sends hybrid with reciprocal rank fusion in hybrid mode', async () => {
    await backend.search(searchRequest({ mode: 'hybrid' }));
    expect(fake.queries[0].args.hybrid).toEqual({ query: 'the union "preserved"', vector: [0.5, -0.25, 0.125], alpha: 0.5, fusionType: 'rankedFusion' });
    expect(fake.queries[0].selection).toEqual(['docId', 'text', 'metadata', '_additional.score']);
  });

  it('writes the search into the Get query text', async () => {
    await backend.search(searchRequest({ mode: 'vector', first: 7 }));
    expect(fake.queries[0].text).toBe('{Get{Speeches(nearVector:{vector:[0.5,-0.25,0.125]},limit:7){docId text metadata _additional { distance }}}}');
  });

  it('sends class and limit without tenant', async () => {
    await backend.search(searchRequest({ first: 7 }));
    const [query] = fake.queries;
    expect(query.className).toBe('Speeches');
    expect(query.args.limit).toBe(7);
    expect(query.args.tenant).toBeUndefined();
  });

  it('runs no query for a vector without direction in vector mode', async () => {
    const result = await backend.search(searchRequest({ mode: 'vector', vector: new Float32Array(3) }));
    expect(result).toEqual({ hits: [] });
    expect(fake.queries).toHaveLength(0);
  });

  it('ranks by bm25 for a vector without direction in hybrid mode', async () => {
    await backend.search(searchRequest({ mode: 'hybrid', vector: new Float32Array(3) }));
    expect(fake.queries[0].args.bm25).toEqual({ query: 'the union "preserved"', properties: ['text'] });
    expect(fake.queries[0].args.hybrid).toBeUndefined();
  });

  it('sends no where filter without filters', async () => {
    await backend.search(searchRequest());
    expect(fake.queries[0].args.where).toBeUndefined();
  });

  it.each(['keyword', 'vector', 'hybrid'] as const)('translates eq, in and range filters to where in %s mode', async (mode) => {
    const filters = toMetadataFilters({ party: { eq: 'Whig' }, president: { in: ['John Tyler', 'Zachary Taylor'] }, year: { gte: 1841, lt: 1850 } });
    await backend.search(searchRequest({ mode, filters }));
    expect(fake.queries[0].args.where).toEqual({
      operator: 'And',
      operands: [
        { operator: 'Equal', valueText: 'Whig', path: ['party'] },
        {
          operator: 'Or',
          operands: [
            { operator: 'Equal', valueText: 'John Tyler', path: ['president'] },
            { operator: 'Equal', valueText: 'Zachary Taylor', path: ['president'] },
          ],
        },
        {
          operator: 'And',
          operands: [
            { operator: 'GreaterThanEqual', valueNumber: 1841, path: ['year'] },
            { operator: 'LessThan', valueNumber: 1850, path: ['year'] },
          ],
        },
      ],
    });
  });

  it('translates a number eq filter to valueNumber', async () => {
    await backend.search(searchRequest({ filters: toMetadataFilters({ year: { eq: 1862 } }) }));
    expect(fake.queries[0].args.where).toEqual({ operator: 'And', operands: [{ operator: 'Equal', valueNumber: 1862, path: ['year'] }] });
  });

  it('maps BM25 objects to hits with string scores as numbers', async () => {
    fake.getReply = getReply([
      speechObject('1862-abraham-lincoln-3', { score: '7.25' }, { year: 1862, party: 'Republican' }),
      speechObject('1941-franklin-d-roosevelt-8', { score: '3.5' }, { year: 1941, party: 'Democratic' }),
    ]);
    const { hits } = await backend.search(searchRequest({ mode: 'keyword' }));
    expect(hits).toEqual([
      { id: '1862-abraham-lincoln-3', score: 7.25, snippet: 'text of 1862-abraham-lincoln-3', text: 'text of 1862-abraham-lincoln-3', metadata: { year: 1862, party: 'Republican' } },
      {
        id: '1941-franklin-d-roosevelt-8',
        score: 3.5,
        snippet: 'text of 1941-franklin-d-roosevelt-8',
        text: 'text of 1941-franklin-d-roosevelt-8',
        metadata: { year: 1941, party: 'Democratic' },
      },
    ]);
  });

  it('scores vector hits as one minus cosine distance', async () => {
    const filters = toMetadataFilters({ party: { eq: 'Republican' } });
    fake.getReply = getReply([speechObject('a', { distance: 0.25 }, {}), speechObject('b', { distance: 0.625 }, {})]);
    const { hits } = await backend.search(searchRequest({ mode: 'vector', filters }));
    expect(hits.map((hit) => [hit.id, hit.score])).toEqual([
      ['a', 0.75],
      ['b', 0.375],
    ]);
  });

  it('keeps the fused score in hybrid mode', async () => {
    fake.getReply = getReply([speechObject('a', { score: '0.016393442' }, {})]);
    const { hits } = await backend.search(searchRequest({ mode: 'hybrid' }));
    expect(hits[0].score).toBe(0.016393442);
  });

  it('returns complete results without partial failure', async () => {
    fake.getReply = getReply([speechObject('a', { score: '1' }, {})]);
    const result = await backend.search(searchRequest());
    expect(result.partialFailure).toBeUndefined();
  });

  it('looks up documents by docId', async () => {
    fake.getReply = getReply([{ docId: 'a', text: 'text of a', metadata: JSON.stringify({ year: 1900 }) }]);
    const { found } = await backend.lookup('speeches', ['a', 'b']);
    expect(fake.queries[0].args.where).toEqual({
      operator: 'Or',
      operands: [
        { operator: 'Equal', valueText: 'a', path: ['docId'] },
        { operator: 'Equal', valueText: 'b', path: ['docId'] },
      ],
    });
    expect(fake.queries[0].args.limit).toBe(2);
    expect(fake.queries[0].selection).toEqual(['docId', 'text', 'metadata']);
    expect([...found.keys()]).toEqual(['a']);
    expect(found.get('a')?.metadata).toEqual({ year: 1900 });
  });

  it('returns hits next to GraphQL errors as partial results', async () => {
    fake.getReply = () => ({
      status: 200,
      body: {
        data: { Get: { Speeches: [speechObject('a', { score: '2.5' }, { year: 1900 })] } },
        errors: [{ message: 'shard Speeches_2 is not ready.', path: ['Get', 'Speeches'] }, { message: 'shard Speeches_3 is not ready.' }],
      },
    });
    const result = await backend.search(searchRequest({ mode: 'keyword' }));
    expect(result.hits.map((hit) => [hit.id, hit.score])).toEqual([['a', 2.5]]);
    expect(result.partialFailure).toBe('Weaviate returned partial results for collection "speeches": shard Speeches_2 is not ready (and 1 more errors).');
  });

  it('returns a lookup next to GraphQL errors as partial results', async () => {
    fake.getReply = () => ({
      status: 200,
      body: { data: { Get: { Speeches: [{ docId: 'a', text: 'text of a', metadata: '{}' }] } }, errors: [{ message: 'shard Speeches_2 is not ready' }] },
    });
    const result = await backend.lookup('speeches', ['a', 'b']);
    expect([...result.found.keys()]).toEqual(['a']);
    expect(result.partialFailure).toBe('Weaviate returned partial results for collection "speeches": shard Speeches_2 is not ready.');
  });

  it('turns a GraphQL error without data into SEARCH_BACKEND_FAILED', async () => {
    expect.assertions(2);
    fake.getReply = () => ({
      status: 200,
      body: {
        data: { Get: { Speeches: null } },
        errors: [{ locations: [{ column: 6, line: 1 }], message: 'no such prop with name \'party\' found in class \'Speeches\' in the schema', path: ['Get', 'Speeches'] }],
      },
    });
    const failure = backend.search(searchRequest({ filters: toMetadataFilters({ party: { eq: 'Whig' } }) }));
    await expect(failure).rejects.toMatchObject({ extensions: { code: 'SEARCH_BACKEND_FAILED' } });
    await expect(failure).rejects.toThrow(
      'Weaviate search of collection "speeches" failed: no such prop with name \'party\' found in class \'Speeches\' in the schema.',
    );
  });

  it('turns an HTTP 500 into SEARCH_BACKEND_FAILED', async () => {
    expect.assertions(2);
    fake.getReply = () => ({ status: 500, body: { error: [{ message: 'shard not ready' }] } });
    const failure = backend.search(searchRequest());
    await expect(failure).rejects.toMatchObject({ extensions: { code: 'SEARCH_BACKEND_FAILED' } });
    await expect(failure).rejects.toThrow('Weaviate search of collection "speeches" failed: HTTP 500.');
  });

  it('names the lookup in a failed lookup', async () => {
    expect.assertions(1);
    fake.getReply = () => ({ status: 500, body: { error: [{ message: 'shard not ready' }] } });
    await expect(backend.lookup('speeches', ['a'])).rejects.toThrow('Weaviate lookup in collection "speeches" failed: HTTP 500.');
  });

  it('rejects a response without the class list', async () => {
    expect.assertions(1);
    fake.getReply = () => ({ status: 200, body: { data: { Get: {} } } });
    await expect(backend.search(searchRequest())).rejects.toThrow('Weaviate search of collection "speeches" failed: the response has no Get.Speeches list.');
  });

  it('fails a search that exceeds timeoutMs', async () => {
    expect.assertions(2);
    fake.hangingRoutes.add('POST /v1/graphql');
    const impatient = new WeaviateBackend(weaviateConfig({ url, timeoutMs: 150 }));
    const failure = impatient.search(searchRequest());
    await expect(failure).rejects.toMatchObject({ extensions: { code: 'SEARCH_BACKEND_FAILED' } });
    await expect(failure).rejects.toThrow('Weaviate search of collection "speeches" failed: timed out after 150 ms.');
  });

  it('fails a search when nothing listens', async () => {
    expect.assertions(1);
    const closed = new FakeWeaviate();
    const closedUrl = await closed.start();
    await closed.stop();
    await expect(new WeaviateBackend(weaviateConfig({ url: closedUrl })).search(searchRequest())).rejects.toThrow(
      'Weaviate search of collection "speeches" failed: fetch failed (ECONNREFUSED).',
    );
  });
});

describe('WeaviateBackend with a tenant', () => {
  const fake = new FakeWeaviate();
  let backend: WeaviateBackend;

  beforeAll(async () => {
    backend = new WeaviateBackend(weaviateConfig({ url: await fake.start(), tenant: 'tenant-a' }));
  });

  afterAll(async () => {
    await fake.stop();
  });

  beforeEach(() => {
    fake.reset();
    fake.getReply = getReply([]);
  });

  it.each(['keyword', 'vector', 'hybrid'] as const)('sends the tenant in %s mode', async (mode) => {
    await backend.search(searchRequest({ mode, filters: toMetadataFilters({ year: { eq: 1862 } }) }));
    expect(fake.queries[0].args.tenant).toBe('tenant-a');
  });

  it('sends the tenant in lookups', async () => {
    await backend.lookup('speeches', ['a']);
    expect(fake.queries[0].args.tenant).toBe('tenant-a');
  });
});
