import type { GraphQLError } from 'graphql';
import { createLogger } from '../../../core/logger.js';
import { OpenAiClient } from '../../../subgraphs/inference/clients/openai.js';
import { postGraphQL } from '../../support/mesh.js';
import { captureLog } from './fakeHttp.js';
import { FakeKServe } from './fakeKServe.js';
import { FAKE_EMBEDDING_MODEL, FakeOpenAi } from './fakeOpenAi.js';
import { FEATURES, startRemoteSubgraph, type RemoteBackends, type RemoteSubgraph } from './remoteSubgraph.js';

const CONFIGURED_MODEL = 'configured-model';
const KEY_VARIABLE = 'MESHGATE_TEST_OPENAI_KEY';
const TEXTS = ['the flight was late', 'x', 'on time again'];
/** Small delays keep the retries fast; two retries make three attempts. */
const RETRIES = { maxRetries: 2, retryBaseMs: 5, retryMaxDelayMs: 50 };
const EMBED_QUERY = 'query ($texts: [String!]!) { embed(texts: $texts) { model { name version dimension } vectors oovCounts } }';

interface EmbedBody {
  model: { name: string; version: string; dimension: number };
  vectors: number[][];
  oovCounts: number[] | null;
}

let openai: FakeOpenAi;
/** Predictions are not requested here; a KServe backend spares an ONNX session. */
let kserve: FakeKServe;
let subgraph: RemoteSubgraph;
let embeddingsUrl: string;

/** Starts a subgraph on the fake servers; `openaiConfig` adds to the OpenAI-compatible server's config. */
function startOnFakes(openaiConfig: Partial<RemoteBackends['openai']> = {}, logger = createLogger({ level: 'silent' })): Promise<RemoteSubgraph> {
  return startRemoteSubgraph({ kserve: { url: kserve.url }, openai: { url: openai.url, model: CONFIGURED_MODEL, ...RETRIES, ...openaiConfig } }, logger);
}

beforeAll(async () => {
  openai = await FakeOpenAi.start();
  kserve = await FakeKServe.start([{ name: 'flight_delay', inputName: 'features', outputName: 'delay', weights: Array<number>(FEATURES.width).fill(0), bias: 0 }]);
  subgraph = await startOnFakes();
  embeddingsUrl = `${openai.url}/v1/embeddings`;
});

afterAll(async () => {
  await subgraph?.stop();
  await kserve?.stop();
  await openai?.stop();
});

beforeEach(() => {
  openai.reset();
});

async function embed(url: string, texts: string[]) {
  return postGraphQL(url, EMBED_QUERY, { texts });
}

describe('embed on an OpenAI-compatible server', () => {
  it('orders vectors by index', async () => {
    const { body } = await embed(subgraph.graphqlUrl, TEXTS);
    const batch = body.data?.embed as EmbedBody;

    expect(body.errors).toBeUndefined();
    expect(batch.vectors).toEqual([
      [19, 't'.charCodeAt(0), 3, 1],
      [1, 'x'.charCodeAt(0), 0, 1],
      [13, 'o'.charCodeAt(0), 2, 1],
    ]);
  });

  it('reports the model and dimension of the server', async () => {
    const { body } = await embed(subgraph.graphqlUrl, TEXTS);
    const batch = body.data?.embed as EmbedBody;

    expect(batch.model).toEqual({ name: FAKE_EMBEDDING_MODEL, version: 'remote', dimension: 4 });
    expect(batch.oovCounts).toBeNull();
  });

  it('sends the configured model and every text in one request', async () => {
    await embed(subgraph.graphqlUrl, TEXTS);

    expect(openai.requests).toHaveLength(1);
    expect(openai.requests[0].method).toBe('POST');
    expect(openai.requests[0].path).toBe('/v1/embeddings');
    expect(openai.requests[0].headers['content-type']).toBe('application/json');
    expect(openai.requests[0].body).toEqual({ model: CONFIGURED_MODEL, input: TEXTS });
  });

  it('sends no Authorization header without a key', async () => {
    await embed(subgraph.graphqlUrl, TEXTS);

    expect(openai.requests[0].headers.authorization).toBeUndefined();
  });
});

describe('embed batching', () => {
  const texts = ['a b', 'cc', 'd e f', 'g', 'hh h'];
  let batched: RemoteSubgraph;

  beforeAll(async () => {
    batched = await startOnFakes({ maxBatch: 2 });
  });

  afterAll(async () => {
    await batched?.stop();
  });

  it('splits the texts into requests of maxBatch', async () => {
    await embed(batched.graphqlUrl, texts);

    expect(openai.requests.map((request) => request.body.input)).toEqual([['a b', 'cc'], ['d e f', 'g'], ['hh h']]);
  });

  it('keeps the order of the texts across requests', async () => {
    const { body } = await embed(batched.graphqlUrl, texts);

    // Length, first character code, spaces and 1, for each text in turn.
    expect((body.data?.embed as EmbedBody).vectors).toEqual([
      [3, 97, 1, 1],
      [2, 99, 0, 1],
      [5, 100, 2, 1],
      [1, 103, 0, 1],
      [4, 104, 1, 1],
    ]);
  });

  it("stays within the server's batch limit", async () => {
    openai.maxClientBatchSize = 2;
    const { body } = await embed(batched.graphqlUrl, texts);

    expect(body.errors).toBeUndefined();
  });

  it('fails on a server limit below maxBatch', async () => {
    openai.maxClientBatchSize = 2;
    const { body } = await embed(subgraph.graphqlUrl, TEXTS);

    expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_ERROR');
    expect(body.errors?.[0]?.message).toBe(`The model server at ${embeddingsUrl} returned HTTP 413: batch size 3 > maximum allowed batch size 2.`);
  });
});

describe('embed dimension', () => {
  it('rejects vectors of another dimension', async () => {
    const expecting8 = await startOnFakes({ dimension: 8 });
    try {
      const { body } = await embed(expecting8.graphqlUrl, TEXTS);

      expect(body.errors?.[0]?.extensions?.code).toBe('EMBEDDING_DIMENSION_MISMATCH');
      expect(body.errors?.[0]?.extensions?.expected).toBe(8);
      expect(body.errors?.[0]?.extensions?.found).toBe(4);
      expect(body.errors?.[0]?.message).toBe(`The embedding model "${FAKE_EMBEDDING_MODEL}" at ${embeddingsUrl} returned vectors of dimension 4; the configured dimension is 8.`);
    } finally {
      await expecting8.stop();
    }
  });

  it('accepts vectors of the configured dimension', async () => {
    const expecting4 = await startOnFakes({ dimension: 4 });
    try {
      const { body } = await embed(expecting4.graphqlUrl, TEXTS);

      expect(body.errors).toBeUndefined();
      expect((body.data?.embed as EmbedBody).model.dimension).toBe(4);
    } finally {
      await expecting4.stop();
    }
  });
});

describe('embed API key', () => {
  afterEach(() => {
    delete process.env[KEY_VARIABLE];
  });

  it('sends the configured key as a bearer token', async () => {
    process.env[KEY_VARIABLE] = 'sk-test-123';
    const keyed = await startOnFakes({ apiKeyEnv: KEY_VARIABLE });
    try {
      await embed(keyed.graphqlUrl, TEXTS);

      expect(openai.requests[0].headers.authorization).toBe('Bearer sk-test-123');
    } finally {
      await keyed.stop();
    }
  });

  it('sends the key again on a retry', async () => {
    process.env[KEY_VARIABLE] = 'sk-test-123';
    openai.faults.add('/v1/embeddings', { status: 503 });
    const keyed = await startOnFakes({ apiKeyEnv: KEY_VARIABLE });
    try {
      await embed(keyed.graphqlUrl, TEXTS);

      expect(openai.requests.map((request) => request.headers.authorization)).toEqual(['Bearer sk-test-123', 'Bearer sk-test-123']);
    } finally {
      await keyed.stop();
    }
  });

  it('logs neither the key nor texts', async () => {
    process.env[KEY_VARIABLE] = 'sk-test-123';
    openai.faults.add('/v1/embeddings', { status: 503 }, { status: 503 }, { status: 503 });
    const log = captureLog('debug');
    const keyed = await startOnFakes({ apiKeyEnv: KEY_VARIABLE }, log.logger);
    try {
      await embed(keyed.graphqlUrl, TEXTS);
    } finally {
      await keyed.stop();
    }

    expect(log.text()).toContain('retrying model server request');
    expect(log.text()).not.toContain('sk-test-123');
    expect(log.text()).not.toContain('the flight was late');
  });

  it('stops startup when the key variable is unset', async () => {
    await expect(startOnFakes({ apiKeyEnv: KEY_VARIABLE })).rejects.toThrow(
      `inference.embeddings.openai.apiKeyEnv: the environment variable ${KEY_VARIABLE} is not set or is empty; set it to the API key or remove inference.embeddings.openai.apiKeyEnv`,
    );
  });

  it('sends no header without apiKeyEnv', async () => {
    const keyless = await startOnFakes({});
    try {
      const { body } = await embed(keyless.graphqlUrl, TEXTS);

      expect(body.errors).toBeUndefined();
      expect(openai.requests[0].headers.authorization).toBeUndefined();
    } finally {
      await keyless.stop();
    }
  });
});

describe('embed retries', () => {
  it('retries HTTP 503 and then embeds', async () => {
    openai.faults.add('/v1/embeddings', { status: 503, body: { error: { message: 'The server is overloaded', type: 'server_error' } } });
    const { body } = await embed(subgraph.graphqlUrl, TEXTS);

    expect(body.errors).toBeUndefined();
    expect((body.data?.embed as EmbedBody).vectors).toHaveLength(3);
    expect(openai.requests).toHaveLength(2);
    expect(openai.requests[1].body).toEqual(openai.requests[0].body);
  });

  it('retries a reset connection', async () => {
    openai.faults.add('/v1/embeddings', 'reset');
    const { body } = await embed(subgraph.graphqlUrl, TEXTS);

    expect(body.errors).toBeUndefined();
    expect(openai.requests).toHaveLength(2);
  });

  it('quotes a 400 without retrying', async () => {
    openai.faults.add('/v1/embeddings', { status: 400, body: { error: { message: "'input' must not be empty.", type: 'invalid_request_error', code: null } } });
    const { body } = await embed(subgraph.graphqlUrl, TEXTS);

    expect(openai.requests).toHaveLength(1);
    expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_ERROR');
    expect(body.errors?.[0]?.message).toBe(`The model server at ${embeddingsUrl} returned HTTP 400: 'input' must not be empty.`);
  });

  it('retries only the batch that failed', async () => {
    const batched = await startOnFakes({ maxBatch: 2 });
    openai.faults.add('/v1/embeddings', 'serve', { status: 503 });
    try {
      const { body } = await embed(batched.graphqlUrl, TEXTS);

      expect(body.errors).toBeUndefined();
      expect((body.data?.embed as EmbedBody).vectors.map((vector) => vector[0])).toEqual([19, 1, 13]);
      expect(openai.requests.map((request) => request.body.input)).toEqual([[TEXTS[0], TEXTS[1]], [TEXTS[2]], [TEXTS[2]]]);
    } finally {
      await batched.stop();
    }
  });
});

describe('embed failures', () => {
  it('turns HTTP 500 into MODEL_SERVER_ERROR', async () => {
    openai.mode = 'serverError';
    const { body } = await embed(subgraph.graphqlUrl, TEXTS);

    expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_ERROR');
    expect(body.errors?.[0]?.message).toBe(`The model server at ${embeddingsUrl} returned HTTP 500: CUDA out of memory.`);
  });

  it('rejects a repeated index', async () => {
    openai.mode = 'duplicateIndex';
    const { body } = await embed(subgraph.graphqlUrl, TEXTS);

    expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_MALFORMED_RESPONSE');
    expect(body.errors?.[0]?.message).toBe(`The model server at ${embeddingsUrl} sent a malformed response: each embedding needs a distinct "index" from 0 to 2.`);
  });

  it('rejects a missing embedding', async () => {
    openai.mode = 'missingItem';
    const { body } = await embed(subgraph.graphqlUrl, TEXTS);

    expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_MALFORMED_RESPONSE');
    expect(body.errors?.[0]?.message).toBe(`The model server at ${embeddingsUrl} sent a malformed response: "data" must hold 3 embeddings.`);
  });
});

describe('OpenAiClient chat completions', () => {
  const client = (timeoutMs = 5000) =>
    new OpenAiClient({ url: openai.url, model: CONFIGURED_MODEL, timeoutMs, totalTimeoutMs: 10_000, maxBatch: 32, ...RETRIES, logger: createLogger({ level: 'silent' }) });

  async function completionError(timeoutMs?: number): Promise<GraphQLError> {
    try {
      await client(timeoutMs).complete([{ role: 'user', content: 'Hello' }], 8);
    } catch (error) {
      return error as GraphQLError;
    }
    throw new Error('expected the completion to fail');
  }

  it('returns the content of the first choice', async () => {
    const content = await client().complete([{ role: 'user', content: 'Which airport is busiest?' }], 16);

    expect(content).toBe('echo: Which airport is busiest?');
  });

  it('sends the model, messages and token limit', async () => {
    const messages = [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'Hello' },
    ];
    await client().complete(messages, 32);

    expect(openai.requests[0].path).toBe('/v1/chat/completions');
    expect(openai.requests[0].body).toEqual({ model: CONFIGURED_MODEL, messages, max_tokens: 32 });
    expect(openai.requests[0].headers.authorization).toBeUndefined();
  });

  it('turns HTTP 500 into MODEL_SERVER_ERROR', async () => {
    openai.mode = 'serverError';
    const error = await completionError();

    expect(error.extensions.code).toBe('MODEL_SERVER_ERROR');
    expect(error.message).toBe(`The model server at ${openai.url}/v1/chat/completions returned HTTP 500: CUDA out of memory.`);
  });

  it('does not retry HTTP 503', async () => {
    openai.faults.add('/v1/chat/completions', { status: 503 });
    const error = await completionError();

    expect(error.extensions.status).toBe(503);
    expect(openai.requests).toHaveLength(1);
  });

  it('does not retry a timeout', async () => {
    openai.faults.add('/v1/chat/completions', 'stall');
    const error = await completionError(200);

    expect(error.extensions.code).toBe('MODEL_SERVER_TIMEOUT');
    expect(error.message).toBe(`The model server at ${openai.url}/v1/chat/completions did not respond within 200 ms.`);
    expect(openai.requests).toHaveLength(1);
  });
});
