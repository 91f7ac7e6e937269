import type { Logger } from '../../../core/logger.js';
import { malformedResponse, postJson } from './http.js';

export interface OpenAiClientOptions {
  /** Base URL without `/v1`. */
  readonly url: string;
  readonly model: string;
  /** Sent as `Authorization: Bearer …` when set. */
  readonly apiKey?: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
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
   * Embeds texts with one request. Vectors come back in the order of `texts`, whatever order the
   * server sends them in, with the model name the server reports.
   *
   * @throws MODEL_SERVER_FAILED when the request fails or the response lacks one vector per text
   */
  async embed(texts: readonly string[]): Promise<RemoteEmbeddings> {
    const url = this.endpoint('embeddings');
    const response = (await postJson(url, { model: this.options.model, input: texts }, this.requestOptions())) as { data?: unknown; model?: unknown };
    if (!Array.isArray(response.data) || response.data.length !== texts.length) {
      throw malformedResponse(url, `"data" must hold ${texts.length} embeddings`, this.options.logger);
    }

    const vectors = this.orderByIndex(url, response.data as EmbeddingItem[]);
    const dimension = vectors[0]?.length ?? 0;
    if (vectors.some((vector) => vector.length !== dimension)) {
      throw malformedResponse(url, 'the embeddings differ in length', this.options.logger);
    }
    const model = typeof response.model === 'string' && response.model !== '' ? response.model : this.options.model;
    return { model, vectors };
  }

  /** Returns the content of the first choice of a chat completion. */
  async complete(messages: readonly ChatMessage[], maxTokens: number): Promise<string> {
    const url = this.endpoint('chat/completions');
    const body = { model: this.options.model, messages, max_tokens: maxTokens };
    const response = (await postJson(url, body, this.requestOptions())) as { choices?: { message?: { content?: unknown } }[] };
    const content = response.choices?.[0]?.message?.content;
    if (typeof content !== 'string') throw malformedResponse(url, '"choices[0].message.content" must be a string', this.options.logger);
    return content;
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

  private endpoint(path: string): string {
    return `${this.options.url.replace(/\/$/, '')}/v1/${path}`;
  }

  private requestOptions() {
    const headers: Record<string, string> = this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {};
    return { timeoutMs: this.options.timeoutMs, headers, logger: this.options.logger };
  }
}
