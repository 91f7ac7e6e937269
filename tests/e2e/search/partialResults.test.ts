import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../core/config/index.js';
import type { ServiceHandle } from '../../../core/http/service.js';
import { createLogger } from '../../../core/logger.js';
import { startGateway } from '../../../gateway/server.js';
import { withEphemeralPorts } from '../../../ops/bench/run.js';
import { buildEmbeddings } from '../../../ops/pipeline/embeddings.js';
import { createProgressReporter } from '../../../ops/pipeline/progress.js';
import { startVectorSubgraph } from '../../../subgraphs/vector/index.js';
import { FakeElasticsearch, searchResponse } from '../../integration/vector/fakes/elasticsearch.js';
import { postGraphQL } from '../../support/mesh.js';

jest.setTimeout(120_000);

/** Nothing listens here; the search query plans no fetch to the other subgraphs. */
const UNUSED_SUBGRAPH_URL = 'http://127.0.0.1:9/graphql';

const SEARCH_QUERY = `{
  search(query: "the union preserved", collections: ["speeches"], mode: KEYWORD, first: 2) {
    score snippet collection entity { ... on SpeechPassage { id } }
  }
}`;

const SHARD_FAILURE_REASON = '[n2][10.0.0.2:9300] disconnected';
const PARTIAL_MESSAGE =
  `Elasticsearch search of index "speeches" returned partial results: 1 of 2 shards failed (node_disconnected_exception: ${SHARD_FAILURE_REASON}) ` +
  'and the search timed out.';

/** Builds a `_search` response with one hit, one failed shard of two and `timed_out: true`. */
function partialSearchResponse() {
  return {
    ...searchResponse([{ id: '1862-abraham-lincoln-3', score: 7.25, metadata: { year: 1862, president: 'Abraham Lincoln', party: 'Republican' }, highlight: 'the Union preserved' }]),
    timed_out: true,
    _shards: { total: 2, successful: 1, skipped: 0, failed: 1, failures: [{ shard: 1, index: 'speeches', node: 'n2', reason: { type: 'node_disconnected_exception', reason: SHARD_FAILURE_REASON } }] },
  };
}

const EXPECTED_HIT = { score: 7.25, snippet: 'the Union preserved', collection: 'speeches', entity: { id: '1862-abraham-lincoln-3' } };

describe('partial search results through the gateway', () => {
  const elasticsearch = new FakeElasticsearch();
  let dataDir: string;
  let vector: ServiceHandle;
  let gateway: ServiceHandle;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'meshgate-partial-'));
    const logger = createLogger({ level: 'silent' });
    // The vector subgraph embeds queries with the word-vector model, so the data folder needs its cache.
    buildEmbeddings(dataDir, createProgressReporter(logger, false), logger);
    const overrides = { dataDir, vector: { backend: { kind: 'elasticsearch' as const, url: await elasticsearch.start(), maxRetries: 0 } } };
    const config = withEphemeralPorts(loadConfig({ env: {}, overrides }));
    vector = await startVectorSubgraph(config, logger);
    const urls = new Map([
      ['vector', `${vector.url}/graphql`],
      ['lake', UNUSED_SUBGRAPH_URL],
      ['warehouse', UNUSED_SUBGRAPH_URL],
      ['inference', UNUSED_SUBGRAPH_URL],
    ]);
    gateway = await startGateway(config, logger, urls);
  });

  afterAll(async () => {
    await gateway?.close();
    await vector?.close();
    await elasticsearch.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    elasticsearch.reset();
    elasticsearch.searchReply = () => ({ status: 200, body: partialSearchResponse() });
  });

  it('returns the subgraph hits with a coded error', async () => {
    const { status, body } = await postGraphQL(`${vector.url}/graphql`, SEARCH_QUERY);
    expect(status).toBe(200);
    expect(body.data).toEqual({ search: [EXPECTED_HIT] });
    expect(body.errors).toEqual([{ message: PARTIAL_MESSAGE, locations: [{ line: 2, column: 3 }], path: ['search'], extensions: { collection: 'speeches', code: 'SEARCH_PARTIAL_RESULTS' } }]);
  });

  it('passes hits and the coded error through the gateway', async () => {
    const { status, body } = await postGraphQL(gateway.url + '/graphql', SEARCH_QUERY);
    expect(status).toBe(200);
    expect(body.data?.search).toEqual([EXPECTED_HIT]);
    // Apollo Gateway keeps the subgraph's message, path and extensions and adds the subgraph's name.
    expect(body.errors).toEqual([{ message: PARTIAL_MESSAGE, path: ['search'], extensions: { collection: 'speeches', code: 'SEARCH_PARTIAL_RESULTS', serviceName: 'vector' } }]);
  });

  it('sends a keyword search to the configured cluster', async () => {
    await postGraphQL(gateway.url + '/graphql', SEARCH_QUERY);
    const [search] = elasticsearch.requestsTo('POST /speeches/_search');
    expect(search.body.query).toEqual({ bool: { must: [{ match: { text: 'the union preserved' } }], filter: [] } });
    expect(search.body.knn).toBeUndefined();
  });

  it('returns no error for complete results', async () => {
    elasticsearch.searchReply = () => ({ status: 200, body: searchResponse([{ id: 'a', score: 1, metadata: {} }]) });
    const { body } = await postGraphQL(gateway.url + '/graphql', SEARCH_QUERY);
    expect(body.errors).toBeUndefined();
    expect(body.data?.search).toEqual([{ score: 1, snippet: 'text of a', collection: 'speeches', entity: { id: 'a' } }]);
  });

  it('reports partial results of the answer field', async () => {
    const { body } = await postGraphQL(gateway.url + '/graphql', '{ answer(question: "Was the union preserved?", first: 1) { mode sources { collection } } }');
    expect(body.data?.answer).toEqual({ mode: 'EXTRACTIVE', sources: [{ collection: 'speeches' }] });
    expect(body.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([
      [['answer'], 'SEARCH_PARTIAL_RESULTS'],
      [['answer'], 'SEARCH_PARTIAL_RESULTS'],
      [['answer'], 'SEARCH_PARTIAL_RESULTS'],
    ]);
  });

  it('reports a failed entity lookup of the subgraph', async () => {
    elasticsearch.indices.set('speeches', { mappings: {}, documents: new Map([['a', { text: 'text of a', metadata: { year: 1862, president: 'Abraham Lincoln', party: 'Republican' } }]]) });
    elasticsearch.rejectGet = (id) => (id === 'b' ? { type: 'no_shard_available_action_exception', reason: 'No shard available for [get [speeches][b]]' } : undefined);
    const query = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on SpeechPassage { id year } } }';
    const representations = [
      { __typename: 'SpeechPassage', id: 'a' },
      { __typename: 'SpeechPassage', id: 'b' },
    ];
    const { body } = await postGraphQL(`${vector.url}/graphql`, query, { representations });
    expect(body.data).toEqual({ _entities: [{ id: 'a', year: 1862 }, null] });
    expect(body.errors?.map((error) => [error.message, error.path, error.extensions?.code])).toEqual([
      [
        'Elasticsearch lookup in index "speeches" failed for 1 of 1 documents: b: no_shard_available_action_exception: No shard available for [get [speeches][b]].',
        ['_entities'],
        'SEARCH_PARTIAL_RESULTS',
      ],
    ]);
  });
});
