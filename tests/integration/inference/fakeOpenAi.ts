import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { answerFault, closeServer, FaultQueue, listenOnLoopback, loopbackUrl, recordRequest, sendJson, type RecordedRequest } from './fakeHttp.js';

/** The model name the fake reports, which differs from any configured one. */
export const FAKE_EMBEDDING_MODEL = 'fake-embedding-4d';

/** How the fake responds to requests that no queued fault takes: normally, with HTTP 500, or with a malformed list of embeddings. */
export type FakeOpenAiMode = 'serve' | 'serverError' | 'duplicateIndex' | 'missingItem';

/**
 * Computes the fake's 4-dimensional vector of a text: its length, its first character code, its
 * count of spaces and 1, simple enough for tests to write the expected vectors out by hand.
 */
function fakeEmbedding(text: string): number[] {
  return [text.length, text.charCodeAt(0), text.split(' ').length - 1, 1];
}

/**
 * An OpenAI-compatible server on 127.0.0.1: `POST /v1/embeddings` returns
 * `{ object: "list", data: [{ object: "embedding", embedding, index }], model, usage }` with the
 * items in reverse order, as servers that batch internally may send them, and
 * `POST /v1/chat/completions` returns one choice whose content echoes the last message. Like the
 * `/v1` routes of TEI, it rejects more than `maxClientBatchSize` inputs with HTTP 413 and
 * `{ message, code, type }`.
 */
export class FakeOpenAi {
  readonly requests: RecordedRequest[] = [];
  /** Faults by path, such as `/v1/embeddings`. */
  readonly faults = new FaultQueue();
  mode: FakeOpenAiMode = 'serve';
  maxClientBatchSize = Infinity;

  private server: Server | undefined;

  static async start(): Promise<FakeOpenAi> {
    const fake = new FakeOpenAi();
    fake.server = await listenOnLoopback((request, response) => fake.handle(request, response));
    return fake;
  }

  get url(): string {
    return loopbackUrl(this.server as Server);
  }

  /** Requests received so far on one path. */
  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  /** Forgets the requests, queued faults and settings of earlier tests. */
  reset(): void {
    this.requests.length = 0;
    this.faults.clear();
    this.mode = 'serve';
    this.maxClientBatchSize = Infinity;
  }

  async stop(): Promise<void> {
    await closeServer(this.server as Server);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const recorded = await recordRequest(request);
    this.requests.push(recorded);
    const fault = this.faults.take(recorded.path);
    if (fault) return answerFault(fault, request, response);

    if (this.mode === 'serverError') return sendJson(response, 500, { error: { message: 'CUDA out of memory', type: 'server_error' } });
    if (recorded.path === '/v1/embeddings') return this.answerEmbeddings(recorded.body.input as string[], response);
    if (recorded.path === '/v1/chat/completions') return sendJson(response, 200, chatCompletion(recorded.body));
    sendJson(response, 404, { error: { message: `Unknown route ${recorded.path}`, type: 'invalid_request_error' } });
  }

  private answerEmbeddings(texts: string[], response: ServerResponse): void {
    if (texts.length > this.maxClientBatchSize) {
      const message = `batch size ${texts.length} > maximum allowed batch size ${this.maxClientBatchSize}`;
      return sendJson(response, 413, { message, code: 413, type: 'Validation' });
    }
    let data = texts.map((text, index) => ({ object: 'embedding', embedding: fakeEmbedding(text), index })).reverse();
    if (this.mode === 'duplicateIndex') data = data.map((item) => ({ ...item, index: 0 }));
    if (this.mode === 'missingItem') data = data.slice(1);
    sendJson(response, 200, { object: 'list', data, model: FAKE_EMBEDDING_MODEL, usage: { prompt_tokens: texts.length, total_tokens: texts.length } });
  }
}

function chatCompletion(body: Record<string, unknown>) {
  const messages = body.messages as Array<{ content: string }>;
  const content = `echo: ${messages[messages.length - 1].content}`;
  return { id: 'chatcmpl-1', object: 'chat.completion', model: body.model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] };
}
