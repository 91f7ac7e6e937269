import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback, loopbackUrl, readBody, sendJson } from './fakeHttp.js';

/** The model name the fake reports, which differs from any configured one. */
export const FAKE_EMBEDDING_MODEL = 'fake-embedding-4d';

/** How the fake responds to `/v1/embeddings`: with vectors in reverse order, or with a failure. */
export type FakeOpenAiMode = 'serve' | 'serverError' | 'duplicateIndex' | 'missingItem';

/** A request the fake received: its path, headers and JSON body. */
export interface RecordedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

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
 * `POST /v1/chat/completions` returns one choice whose content echoes the last message.
 */
export class FakeOpenAi {
  readonly requests: RecordedRequest[] = [];
  mode: FakeOpenAiMode = 'serve';

  private server: Server | undefined;

  static async start(): Promise<FakeOpenAi> {
    const fake = new FakeOpenAi();
    fake.server = await listenOnLoopback((request, response) => fake.handle(request, response));
    return fake;
  }

  get url(): string {
    return loopbackUrl(this.server as Server);
  }

  async stop(): Promise<void> {
    await closeServer(this.server as Server);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    const body = (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
    this.requests.push({ path: request.url ?? '', headers: request.headers, body });

    if (this.mode === 'serverError') return sendJson(response, 500, { error: { message: 'CUDA out of memory', type: 'server_error' } });
    if (request.url === '/v1/embeddings') return sendJson(response, 200, this.embeddings(body.input as string[]));
    if (request.url === '/v1/chat/completions') return sendJson(response, 200, chatCompletion(body));
    sendJson(response, 404, { error: { message: `Unknown route ${request.url}`, type: 'invalid_request_error' } });
  }

  private embeddings(texts: string[]) {
    let data = texts.map((text, index) => ({ object: 'embedding', embedding: fakeEmbedding(text), index })).reverse();
    if (this.mode === 'duplicateIndex') data = data.map((item) => ({ ...item, index: 0 }));
    if (this.mode === 'missingItem') data = data.slice(1);
    return { object: 'list', data, model: FAKE_EMBEDDING_MODEL, usage: { prompt_tokens: texts.length, total_tokens: texts.length } };
  }
}

function chatCompletion(body: Record<string, unknown>) {
  const messages = body.messages as Array<{ content: string }>;
  const content = `echo: ${messages[messages.length - 1].content}`;
  return { id: 'chatcmpl-1', object: 'chat.completion', model: body.model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] };
}
