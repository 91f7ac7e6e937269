import { createLogger } from '../../../core/logger.js';
import { OpenAiClient } from '../../../subgraphs/inference/clients/openai.js';
import { postGraphQL } from '../../support/mesh.js';
import { FAKE_EMBEDDING_MODEL, FakeOpenAi } from './fakeOpenAi.js';
import { startRemoteSubgraph, type RemoteSubgraph } from './remoteSubgraph.js';

const CONFIGURED_MODEL = 'configured-model';
const KEY_VARIABLE = 'MESHGATE_TEST_OPENAI_KEY';
const TEXTS = ['the flight was late', 'x', 'on time again'];
/** Predictions are not requested here, and a KServe backend spares an ONNX session; nothing listens on port 9. */
const UNUSED_KSERVE_URL = 'http://127.0.0.1:9';
const EMBED_QUERY = 'query ($texts: [String!]!) { embed(texts: $texts) { model { name version dimension } vectors oovCounts } }';

interface EmbedBody {
  model: { name: string; version: string; dimension: number };
  vectors: number[][];
  oovCounts: number[] | null;
}

let openai: FakeOpenAi;
let subgraph: RemoteSubgraph;
let embeddingsUrl: string;

beforeAll(async () => {
  openai = await FakeOpenAi.start();
  subgraph = await startRemoteSubgraph({ kserve: { url: UNUSED_KSERVE_URL }, openai: { url: openai.url, model: CONFIGURED_MODEL } });
  embeddingsUrl = `${openai.url}/v1/embeddings`;
});

afterAll(async () => {
  await subgraph?.stop();
  await openai?.stop();
});

beforeEach(() => {
  openai.mode = 'serve';
  openai.requests.length = 0;
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
    expect(openai.requests[0].path).toBe('/v1/embeddings');
    expect(openai.requests[0].body).toEqual({ model: CONFIGURED_MODEL, input: TEXTS });
  });

  it('sends no Authorization header without a key', async () => {
    await embed(subgraph.graphqlUrl, TEXTS);

    expect(openai.requests[0].headers.authorization).toBeUndefined();
  });
});

describe('embed API key', () => {
  afterEach(() => {
    delete process.env[KEY_VARIABLE];
  });

  it('sends the configured key as a bearer token', async () => {
    process.env[KEY_VARIABLE] = 'sk-test-123';
    const keyed = await startRemoteSubgraph({ kserve: { url: UNUSED_KSERVE_URL }, openai: { url: openai.url, model: CONFIGURED_MODEL, apiKeyEnv: KEY_VARIABLE } });
    try {
      await embed(keyed.graphqlUrl, TEXTS);

      expect(openai.requests[0].headers.authorization).toBe('Bearer sk-test-123');
    } finally {
      await keyed.stop();
    }
  });

  it('sends no header when the key variable is unset', async () => {
    const keyless = await startRemoteSubgraph({ kserve: { url: UNUSED_KSERVE_URL }, openai: { url: openai.url, model: CONFIGURED_MODEL, apiKeyEnv: KEY_VARIABLE } });
    try {
      const { body } = await embed(keyless.graphqlUrl, TEXTS);

      expect(body.errors).toBeUndefined();
      expect(openai.requests[0].headers.authorization).toBeUndefined();
    } finally {
      await keyless.stop();
    }
  });
});

describe('embed failures', () => {
  it('turns HTTP 500 into MODEL_SERVER_FAILED', async () => {
    openai.mode = 'serverError';
    const { body } = await embed(subgraph.graphqlUrl, TEXTS);

    expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_FAILED');
    expect(body.errors?.[0]?.message).toBe(`The model server at ${embeddingsUrl} returned HTTP 500.`);
  });

  it('rejects a repeated index', async () => {
    openai.mode = 'duplicateIndex';
    const { body } = await embed(subgraph.graphqlUrl, TEXTS);

    expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_FAILED');
    expect(body.errors?.[0]?.message).toBe(`The model server at ${embeddingsUrl} sent a malformed response: each embedding needs a distinct "index" from 0 to 2.`);
  });

  it('rejects a missing embedding', async () => {
    openai.mode = 'missingItem';
    const { body } = await embed(subgraph.graphqlUrl, TEXTS);

    expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_FAILED');
    expect(body.errors?.[0]?.message).toBe(`The model server at ${embeddingsUrl} sent a malformed response: "data" must hold 3 embeddings.`);
  });
});

describe('OpenAiClient chat completions', () => {
  const client = () => new OpenAiClient({ url: openai.url, model: CONFIGURED_MODEL, timeoutMs: 5000, logger: createLogger({ level: 'silent' }) });

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

  it('turns HTTP 500 into MODEL_SERVER_FAILED', async () => {
    expect.assertions(2);
    openai.mode = 'serverError';

    await client()
      .complete([{ role: 'user', content: 'Hello' }], 8)
      .catch((error: { message: string; extensions: { code: string } }) => {
        expect(error.extensions.code).toBe('MODEL_SERVER_FAILED');
        expect(error.message).toBe(`The model server at ${openai.url}/v1/chat/completions returned HTTP 500.`);
      });
  });
});
