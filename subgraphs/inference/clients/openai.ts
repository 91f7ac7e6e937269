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

/** A client of an OpenAI-compatible server (OpenAI, vLLM, TEI): `/v1/embeddings` and `/v1/chat/completions`. */
export class OpenAiClient {
  constructor(private readonly options: OpenAiClientOptions) {}

  /** Embeds texts with one request; vectors come back in the order of `texts`, whatever order the server sends. */
  async embed(texts: readonly string[]): Promise<number[][]> {
    const url = this.endpoint('embeddings');
    const response = (await postJson(url, { model: this.options.model, input: texts }, this.requestOptions())) as { data?: unknown };
    if (!Array.isArray(response.data) || response.data.length !== texts.length) {
      throw malformedResponse(url, `"data" must hold ${texts.length} embeddings`, this.options.logger);
    }

    const vectors: number[][] = new Array<number[]>(texts.length);
    for (const item of response.data as { index?: unknown; embedding?: unknown }[]) {
      if (typeof item.index !== 'number' || !Array.isArray(item.embedding) || item.index < 0 || item.index >= texts.length) {
        throw malformedResponse(url, 'each embedding needs an "index" in range and an "embedding" array', this.options.logger);
      }
      vectors[item.index] = item.embedding as number[];
    }
    return vectors;
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

  private endpoint(path: string): string {
    return `${this.options.url.replace(/\/$/, '')}/v1/${path}`;
  }

  private requestOptions() {
    const headers: Record<string, string> = this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {};
    return { timeoutMs: this.options.timeoutMs, headers, logger: this.options.logger };
  }
}
