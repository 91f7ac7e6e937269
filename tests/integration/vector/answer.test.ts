import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { parse } from 'graphql';
import type { GenerationConfig } from '../../../core/config/sections/vector.js';
import type { ServiceHandle } from '../../../core/http/service.js';
import { createLogger } from '../../../core/logger.js';
import { startSubgraph } from '../../../subgraphs/kit/server.js';
import { EmbeddedBackend } from '../../../subgraphs/vector/backends/embedded.js';
import { configureAnswerGenerator } from '../../../subgraphs/vector/answer.js';
import { readCollections, readVectorSdl } from '../../../subgraphs/vector/collections.js';
import { VectorCollection } from '../../../subgraphs/vector/index/index.js';
import { vectorResolvers } from '../../../subgraphs/vector/resolvers.js';
import { SearchService } from '../../../subgraphs/vector/search.js';
import { closeServer, listenOnLoopback, loopbackUrl, readBody } from '../inference/fakeHttp.js';

const DIMENSION = 32;

/** Passages of the fixture speeches collection; only the first is about the Union and the war. */
const PASSAGES = [
  { id: '1862-abraham-lincoln-1', president: 'Abraham Lincoln', party: 'Republican', year: 1862, text: 'The war must preserve the Union of these states.' },
  { id: '1934-franklin-d-roosevelt-2', president: 'Franklin D. Roosevelt', party: 'Democratic', year: 1934, text: 'Banks reopened and farm prices recovered this year.' },
  { id: '1823-james-monroe-3', president: 'James Monroe', party: 'Democratic-Republican', year: 1823, text: 'European powers shall not colonize the American continents.' },
  { id: '1962-john-f-kennedy-4', president: 'John F. Kennedy', party: 'Democratic', year: 1962, text: 'Astronauts will travel to the moon within this decade.' },
];

const QUESTION = 'How will the war preserve the Union?';

/** Embeds a text as a normalized bag of hashed lowercase words, so shared words mean similar vectors. */
function embedWords(text: string): Float32Array {
  const vector = new Float32Array(DIMENSION);
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    let hash = 0;
    for (const character of word) {
      hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
    }
    vector[hash % DIMENSION] += 1;
  }
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

function createSearchService(): SearchService {
  const speeches = new VectorCollection({ dimension: DIMENSION });
  for (const passage of PASSAGES) {
    const { text, ...metadata } = passage;
    speeches.upsert({ id: passage.id, text, vector: embedWords(text), metadata });
  }
  const declarations = readCollections().filter((declaration) => declaration.name === 'speeches');
  return new SearchService(declarations, new EmbeddedBackend(new Map([['speeches', speeches]])), embedWords, 100);
}

/** Starts the vector subgraph over the fixture collection, with `vector.generation` when given. */
async function startVector(generation?: GenerationConfig): Promise<ServiceHandle> {
  const logger = createLogger({ level: 'silent' });
  return startSubgraph({
    name: 'vector',
    typeDefs: parse(readVectorSdl()),
    resolvers: [vectorResolvers(createSearchService(), configureAnswerGenerator(generation), logger)],
    host: '127.0.0.1',
    port: 0,
    logger,
  });
}

interface AnswerBody {
  data?: { answer: { mode: string; text: string; model: string | null; sources: Array<{ collection: string; entity: { id: string } }> } } | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

const ANSWER_QUERY = `query ($question: String!) { answer(question: $question, first: 2) { mode text model sources { collection entity { ... on SpeechPassage { id } } } } }`;

async function askAnswer(service: ServiceHandle, question: string): Promise<AnswerBody> {
  const response = await fetch(`${service.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: ANSWER_QUERY, variables: { question } }),
  });
  return (await response.json()) as AnswerBody;
}

function passageText(id: string): string {
  return PASSAGES.find((passage) => passage.id === id)?.text ?? '';
}

interface ChatRequest {
  readonly authorization: string | undefined;
  readonly body: { model: string; messages: Array<{ role: string; content: string }> };
}

/** An OpenAI-compatible `/v1/chat/completions` on 127.0.0.1 whose behaviour each test sets. */
class FakeChatServer {
  readonly requests: ChatRequest[] = [];
  behaviour: 'answer' | 'empty' | 'fail' | 'hang' = 'answer';
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = await listenOnLoopback((request, response) => this.handle(request, response));
    return loopbackUrl(this.server);
  }

  async stop(): Promise<void> {
    if (this.server !== undefined) {
      await closeServer(this.server);
    }
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      response.writeHead(404).end();
      return;
    }
    this.requests.push({ authorization: request.headers.authorization, body: JSON.parse(body) as ChatRequest['body'] });
    this.respond(response);
  }

  private respond(response: ServerResponse): void {
    if (this.behaviour === 'hang') {
      return;
    }
    if (this.behaviour === 'fail') {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'CUDA out of memory', type: 'server_error' } }));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    if (this.behaviour === 'empty') {
      response.end(JSON.stringify({ ...completion(''), choices: [] }));
      return;
    }
    response.end(JSON.stringify(completion('By fighting to keep the states together [1].')));
  }
}

/** A chat completion in the OpenAI response format, as vLLM returns it. */
function completion(content: string) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'served-llama',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 80, completion_tokens: 9, total_tokens: 89 },
  };
}

describe('answer without generation', () => {
  let service: ServiceHandle;

  beforeAll(async () => {
    service = await startVector();
  });

  afterAll(async () => {
    await service.close();
  });

  it('returns EXTRACTIVE mode without model', async () => {
    const body = await askAnswer(service, QUESTION);
    expect(body.errors).toBeUndefined();
    expect(body.data?.answer.mode).toBe('EXTRACTIVE');
    expect(body.data?.answer.model).toBeNull();
  });

  it('puts the matching passage first', async () => {
    const body = await askAnswer(service, QUESTION);
    const sources = body.data?.answer.sources ?? [];
    expect(sources).toHaveLength(2);
    expect(sources[0]).toEqual({ collection: 'speeches', entity: { id: '1862-abraham-lincoln-1' } });
  });

  it('quotes each source passage numbered with its id', async () => {
    const body = await askAnswer(service, QUESTION);
    const ids = (body.data?.answer.sources ?? []).map((source) => source.entity.id);
    const expected = ids.map((id, i) => `[${i + 1}] ${passageText(id)} (speeches ${id})`).join('\n\n');
    expect(body.data?.answer.text).toBe(expected);
  });
});

describe('answer with a chat-completions server', () => {
  const CHAT_KEY_VARIABLE = 'MESHGATE_TEST_ANSWER_CHAT_KEY';
  const chat = new FakeChatServer();
  let service: ServiceHandle;
  let completionsUrl: string;

  beforeAll(async () => {
    const url = await chat.start();
    completionsUrl = `${url}/v1/chat/completions`;
    process.env[CHAT_KEY_VARIABLE] = 'chat-key';
    service = await startVector({ url, model: 'llama-3-8b', apiKeyEnv: CHAT_KEY_VARIABLE, timeoutMs: 500 });
  });

  afterAll(async () => {
    delete process.env[CHAT_KEY_VARIABLE];
    await service.close();
    await chat.stop();
  });

  beforeEach(() => {
    chat.requests.length = 0;
    chat.behaviour = 'answer';
  });

  it('sends the question and retrieved passages', async () => {
    const body = await askAnswer(service, QUESTION);
    expect(chat.requests).toHaveLength(1);
    const [request] = chat.requests;
    const user = request.body.messages.find((message) => message.role === 'user')?.content ?? '';
    const ids = (body.data?.answer.sources ?? []).map((source) => source.entity.id);
    expect(ids).toHaveLength(2);
    ids.forEach((id, i) => expect(user).toContain(`[${i + 1}] ${passageText(id)}`));
    expect(user).toContain(`Question: ${QUESTION}`);
  });

  it('sends the model and the key from apiKeyEnv', async () => {
    await askAnswer(service, QUESTION);
    expect(chat.requests[0].body.model).toBe('llama-3-8b');
    expect(chat.requests[0].authorization).toBe('Bearer chat-key');
  });

  it('returns the generated text in GENERATIVE mode', async () => {
    const body = await askAnswer(service, QUESTION);
    expect(body.errors).toBeUndefined();
    expect(body.data?.answer.mode).toBe('GENERATIVE');
    expect(body.data?.answer.text).toBe('By fighting to keep the states together [1].');
    expect(body.data?.answer.model).toBe('served-llama');
  });

  it('fails with GENERATION_FAILED on HTTP 500', async () => {
    chat.behaviour = 'fail';
    const body = await askAnswer(service, QUESTION);
    expect(body.data).toBeNull();
    expect(body.errors?.[0].extensions?.code).toBe('GENERATION_FAILED');
    expect(body.errors?.[0].message).toBe(`Chat completion server ${completionsUrl} returned HTTP 500.`);
  });

  it('fails with GENERATION_FAILED without choices', async () => {
    chat.behaviour = 'empty';
    const body = await askAnswer(service, QUESTION);
    expect(body.errors?.[0].extensions?.code).toBe('GENERATION_FAILED');
    expect(body.errors?.[0].message).toBe(`Chat completion server ${completionsUrl} returned no message in choices[0].message.content.`);
  });

  it('fails with GENERATION_FAILED on timeout', async () => {
    chat.behaviour = 'hang';
    const body = await askAnswer(service, QUESTION);
    expect(body.data).toBeNull();
    expect(body.errors?.[0].extensions?.code).toBe('GENERATION_FAILED');
    expect(body.errors?.[0].message).toBe(
      `Chat completion request to ${completionsUrl} timed out after 500 ms; raise vector.generation.timeoutMs or check the server.`,
    );
  });
});
