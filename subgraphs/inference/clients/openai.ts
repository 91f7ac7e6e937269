import { errors } from '../../../core/errors/index.js';
import { postJson, type RequestOptions } from './http.js';
import { malformedResponse } from './serverErrors.js';

/** The `inference.embeddings.openai` config with the key read from its variable and the subgraph's logger. */
export interface OpenAiClientOptions extends Omit<RequestOptions, 'headers'> {
  /** Base URL without `/v1`. */
  readonly url: string;
  readonly model: string;
  /** Sent as `Authorization: Bearer …` when set. */
  readonly apiKey?: string;
  /** Maximum number of texts in one `/v1/embeddings` request. */
  readonly maxBatch: number;
  /** Vector length the model must return. Without it, the vectors only have to be equal in length. */
  readonly dimension?: number;
}

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** Vectors of a batch of texts and the model that computed them, as the server names it. */
export interface RemoteEmbeddings {
  readonly model: string;
  readonly vectors: number[][];
}

interface EmbeddingItem {
  readonly index?: unknown;
  readonly embedding?: unknown;
}

/** A client of an OpenAI-compatible server (OpenAI, vLLM, TEI): `/v1/embeddings` and `/v1/chat/completions`. */
export class OpenAiClient {
  constructor(private readonly options: OpenAiClientOptions) {}

  /**
   * Embeds texts in requests of at most `maxBatch` texts, sent one after another, so that a
   * server with a per-request limit (TEI's `--max-client-batch-size`) accepts them. Vectors come
   * back in the order of `texts`, whatever order the server sends them in, with the model name
   * the server reports. Embedding requests are retried, because embedding is a pure function of
   * the texts.
   *
   * @throws EMBEDDING_DIMENSION_MISMATCH when `dimension` is set and a vector has another length
   * @throws MODEL_SERVER_MALFORMED_RESPONSE when a response lacks one vector per text, or the
   *   vectors differ in length
   * @throws the other coded errors of `postJson` when a request fails
   */
  async embed(texts: readonly string[]): Promise<RemoteEmbeddings> {
    const url = this.endpoint('embeddings');
    const vectors: number[][] = [];
    let model = this.options.model;
    for (let start = 0; start < texts.length; start += this.options.maxBatch) {
      const batch = await this.embedBatch(url, texts.slice(start, start + this.options.maxBatch));
      vectors.push(...batch.vectors);
      model = batch.model;
    }

    this.checkDimension(url, model, vectors);
    return { model, vectors };
  }

  /**
   * Returns the content of the first choice of a chat completion. The request is sent once and
   * never retried, because a server that timed out or returned 503 may still have generated the
   * completion, and a retry would pay for its tokens a second time.
   */
  async complete(messages: readonly ChatMessage[], maxTokens: number): Promise<string> {
    const url = this.endpoint('chat/completions');
    const body = { model: this.options.model, messages, max_tokens: maxTokens };
    const response = (await postJson(url, body, this.requestOptions(false))) as { choices?: { message?: { content?: unknown } }[] } | null;
    const content = response?.choices?.[0]?.message?.content;
    if (typeof content !== 'string') throw malformedResponse(url, '"choices[0].message.content" must be a string', this.options.logger);
    return content;
  }

  private async embedBatch(url: string, texts: readonly string[]): Promise<RemoteEmbeddings> {
    const response = (await postJson(url, { model: this.options.model, input: texts }, this.requestOptions(true))) as { data?: unknown; model?: unknown } | null;
    if (!Array.isArray(response?.data) || response.data.length !== texts.length) {
      throw malformedResponse(url, `"data" must hold ${texts.length} embeddings`, this.options.logger);
    }

    const vectors = this.orderByIndex(url, response.data as EmbeddingItem[]);
    const model = typeof response.model === 'string' && response.model !== '' ? response.model : this.options.model;
    return { model, vectors };
  }

  private orderByIndex(url: string, items: readonly EmbeddingItem[]): number[][] {
    const vectors: number[][] = new Array<number[]>(items.length);
    for (const item of items) {
      const { index, embedding } = item;
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= items.length || vectors[index] !== undefined) {
        throw malformedResponse(url, `each embedding needs a distinct "index" from 0 to ${items.length - 1}`, this.options.logger);
      }
      if (!Array.isArray(embedding) || embedding.length === 0 || !embedding.every((value) => typeof value === 'number')) {
        throw malformedResponse(url, `embedding ${index} must be a non-empty array of numbers`, this.options.logger);
      }
      vectors[index] = embedding as number[];
    }
    return vectors;
  }

  /** Checks every vector against the configured dimension, or against the first vector without one. */
  private checkDimension(url: string, model: string, vectors: readonly number[][]): void {
    const expected = this.options.dimension ?? vectors[0]?.length;
    const wrong = vectors.findIndex((vector) => vector.length !== expected);
    if (wrong < 0) return;
    if (this.options.dimension === undefined) throw malformedResponse(url, 'the embeddings differ in length', this.options.logger);

    const found = vectors[wrong].length;
    this.options.logger.error({ url, model, expected, found }, 'embedding dimension mismatch');
    throw errors.EMBEDDING_DIMENSION_MISMATCH.error(
      `The embedding model "${model}" at ${url} returned vectors of dimension ${found}; the configured dimension is ${expected}.`,
      { expected, found },
    );
  }

  private endpoint(path: string): string {
    return `${this.options.url.replace(/\/$/, '')}/v1/${path}`;
  }

  /** Builds the options of one request field by field, so that the key travels in the header and nowhere else. */
  private requestOptions(idempotent: boolean) {
    const { timeoutMs, maxRetries, retryBaseMs, retryMaxDelayMs, totalTimeoutMs, logger, apiKey } = this.options;
    const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
    return { timeoutMs, maxRetries, retryBaseMs, retryMaxDelayMs, totalTimeoutMs, logger, headers, idempotent };
  }
}
