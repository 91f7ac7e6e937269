import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kind, parse, valueFromASTUntyped, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { WeaviateBackend } from '../../../subgraphs/vector/backends/weaviate.js';
import type { CollectionSearch } from '../../../subgraphs/vector/backends/backend.js';
import { toMetadataFilters } from '../../../subgraphs/vector/filters.js';

/** One `Get` request as the fake Weaviate parsed it from `POST /v1/graphql`. */
interface GetRequest {
  readonly className: string;
  readonly args: Record<string, unknown>;
  readonly selection: string[];
  readonly authorization: string | undefined;
}

interface FakeReply {
  readonly status: number;
  readonly body: unknown;
}

/**
 * A Weaviate on 127.0.0.1 speaking the REST and GraphQL endpoints `weaviate-ts-client` 2.x calls:
 * `GET /v1/meta` (the client's version probe) and `POST /v1/graphql` with a `Get` query.
 */
class FakeWeaviate {
  readonly requests: GetRequest[] = [];
  reply: (request: GetRequest) => FakeReply = () => ({ status: 200, body: { data: { Get: {} } } });
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
      const reply = this.route(request, body);
      response.writeHead(reply.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(reply.body));
    });
  }

  private route(request: http.IncomingMessage, body: string): FakeReply {
    if (request.method === 'GET' && request.url === '/v1/meta') {
      return { status: 200, body: { hostname: 'http://[::]:8080', version: '1.25.0', modules: {} } };
    }
    if (request.method === 'POST' && request.url === '/v1/graphql') {
      const get = parseGet(JSON.parse(body).query as string, request.headers.authorization);
      this.requests.push(get);
      return this.reply(get);
    }
    return { status: 404, body: { error: [{ message: `no route ${request.method} ${request.url}` }] } };
  }
}

/** Reads the class, its arguments and its selection out of `{ Get { <Class>(...) { ... } } }`. */
function parseGet(query: string, authorization: string | undefined): GetRequest {
  const operation = parse(query).definitions[0] as OperationDefinitionNode;
  const get = operation.selectionSet.selections[0] as FieldNode;
  const target = get.selectionSet?.selections[0] as FieldNode;
  const args = Object.fromEntries((target.arguments ?? []).map((argument) => [argument.name.value, valueFromASTUntyped(argument.value)]));
  const selection = (target.selectionSet?.selections ?? []).flatMap((field) => (field.kind === Kind.FIELD ? [field.name.value] : []));
  return { className: target.name.value, args, selection, authorization };
}

/** A Weaviate object of the Speeches class; Weaviate returns hybrid scores as strings. */
function speechObject(docId: string, score: string, metadata: Record<string, unknown>) {
  return { docId, text: `text of ${docId}`, metadata: JSON.stringify(metadata), _additional: { score } };
}

const VECTOR = new Float32Array([0.5, -0.25, 0.125]);

function searchRequest(overrides: Partial<CollectionSearch> = {}): CollectionSearch {
  return { collection: 'speeches', mode: 'hybrid', text: 'the union "preserved"', vector: VECTOR, filters: [], first: 4, ...overrides };
}

describe('WeaviateBackend against a Weaviate server', () => {
  const fake = new FakeWeaviate();
  let backend: WeaviateBackend;

  beforeAll(async () => {
    backend = new WeaviateBackend(await fake.start(), 'secret-key');
  });

  afterAll(async () => {
    await backend.close();
    await fake.stop();
  });

  beforeEach(() => {
    fake.requests.length = 0;
    fake.reply = () => ({ status: 200, body: { data: { Get: { Speeches: [] } } } });
  });

  it.each([
    ['keyword', 0],
    ['vector', 1],
    ['hybrid', 0.5],
  ] as const)('sends alpha for %s mode', async (mode, alpha) => {
    await backend.search(searchRequest({ mode }));
    expect(fake.requests).toHaveLength(1);
    expect((fake.requests[0].args.hybrid as { alpha: number }).alpha).toBe(alpha);
  });

  it('sends query text, vector, limit and class', async () => {
    await backend.search(searchRequest({ first: 7 }));
    const [request] = fake.requests;
    const hybrid = request.args.hybrid as { query: string; vector: number[] };
    expect(request.className).toBe('Speeches');
    expect(hybrid.query).toBe('the union "preserved"');
    expect(hybrid.vector).toEqual([0.5, -0.25, 0.125]);
    expect(request.args.limit).toBe(7);
    expect(request.authorization).toBe('Bearer secret-key');
  });

  it('fuses hybrid rankings by reciprocal rank', async () => {
    await backend.search(searchRequest({ mode: 'hybrid' }));
    expect((fake.requests[0].args.hybrid as { fusionType: string }).fusionType).toBe('rankedFusion');
  });

  it('selects docId, text, metadata and score', async () => {
    await backend.search(searchRequest());
    expect(fake.requests[0].selection).toEqual(['docId', 'text', 'metadata', '_additional']);
  });

  it('sends no where filter without filters', async () => {
    await backend.search(searchRequest());
    expect(fake.requests[0].args.where).toBeUndefined();
  });

  it('translates eq, in and range filters to where', async () => {
    const filters = toMetadataFilters({ party: { eq: 'Whig' }, president: { in: ['John Tyler', 'Zachary Taylor'] }, year: { gte: 1841, lt: 1850 } });
    await backend.search(searchRequest({ filters }));
    expect(fake.requests[0].args.where).toEqual({
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
    expect(fake.requests[0].args.where).toEqual({ operator: 'And', operands: [{ operator: 'Equal', valueNumber: 1862, path: ['year'] }] });
  });

  it('maps objects to hits with ids, scores and metadata', async () => {
    fake.reply = () => ({
      status: 200,
      body: {
        data: {
          Get: {
            Speeches: [
              speechObject('1862-abraham-lincoln-3', '0.016393442', { year: 1862, party: 'Republican', id: '1862-abraham-lincoln-3' }),
              speechObject('1941-franklin-d-roosevelt-8', '0.008196721', { year: 1941, party: 'Democratic', id: '1941-franklin-d-roosevelt-8' }),
            ],
          },
        },
      },
    });
    const hits = await backend.search(searchRequest());
    expect(hits).toEqual([
      {
        id: '1862-abraham-lincoln-3',
        score: 0.016393442,
        snippet: 'text of 1862-abraham-lincoln-3',
        text: 'text of 1862-abraham-lincoln-3',
        metadata: { year: 1862, party: 'Republican', id: '1862-abraham-lincoln-3' },
      },
      {
        id: '1941-franklin-d-roosevelt-8',
        score: 0.008196721,
        snippet: 'text of 1941-franklin-d-roosevelt-8',
        text: 'text of 1941-franklin-d-roosevelt-8',
        metadata: { year: 1941, party: 'Democratic', id: '1941-franklin-d-roosevelt-8' },
      },
    ]);
  });

  it('looks up documents by docId', async () => {
    fake.reply = () => ({ status: 200, body: { data: { Get: { Speeches: [speechObject('a', '0', { year: 1900 })] } } } });
    const found = await backend.lookup('speeches', ['a', 'b']);
    expect(fake.requests[0].args.where).toEqual({
      operator: 'Or',
      operands: [
        { operator: 'Equal', valueText: 'a', path: ['docId'] },
        { operator: 'Equal', valueText: 'b', path: ['docId'] },
      ],
    });
    expect(fake.requests[0].args.limit).toBe(2);
    expect([...found.keys()]).toEqual(['a']);
    expect(found.get('a')?.metadata).toEqual({ year: 1900 });
  });

  it('turns a GraphQL error into SEARCH_BACKEND_FAILED', async () => {
    expect.assertions(2);
    fake.reply = () => ({
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
    fake.reply = () => ({ status: 500, body: { error: [{ message: 'shard not ready' }] } });
    const failure = backend.search(searchRequest());
    await expect(failure).rejects.toMatchObject({ extensions: { code: 'SEARCH_BACKEND_FAILED' } });
    await expect(failure).rejects.toThrow('Weaviate search of collection "speeches" failed: HTTP 500.');
  });

  it('rejects a response without the class list', async () => {
    expect.assertions(1);
    fake.reply = () => ({ status: 200, body: { data: { Get: {} } } });
    await expect(backend.search(searchRequest())).rejects.toThrow('Weaviate returned no Get.Speeches list for collection "speeches".');
  });
});
