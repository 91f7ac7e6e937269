import type { VectorConfig } from '../../core/config/sections/vector.js';
import { errors } from '../../core/errors/index.js';
import type { Logger } from '../../core/logger.js';
import type { MeshSearchHit } from './search.js';

export interface AnswerResult {
  readonly mode: 'EXTRACTIVE' | 'GENERATIVE';
  readonly text: string;
  readonly model: string | null;
  readonly sources: readonly MeshSearchHit[];
}

type GenerationConfig = NonNullable<VectorConfig['generation']>;

const SYSTEM_PROMPT =
  'Answer the question using only the numbered passages. Cite passages as [1], [2]. If they do not contain the answer, say so.';

/** Names a hit's source for citations, for example "speeches 1862-abraham-lincoln-12". */
export function sourceLabel(hit: MeshSearchHit): string {
  const key = Object.entries(hit.entity).find(([name]) => name !== '__typename' && (name === 'id' || name === 'iata'));
  return `${hit.collection} ${String(key?.[1] ?? '')}`;
}

/** Returns the extractive answer: each hit's text, numbered, with its source. */
export function extractiveAnswer(hits: readonly MeshSearchHit[]): AnswerResult {
  const text = hits.length === 0 ? 'No passage matches the question.' : hits.map((hit, i) => `[${i + 1}] ${hit.text} (${sourceLabel(hit)})`).join('\n\n');
  return { mode: 'EXTRACTIVE', text, model: null, sources: hits };
}

/**
 * Generates an answer from the hits with an OpenAI-compatible `/v1/chat/completions` server.
 *
 * @throws GENERATION_FAILED when the server fails, times out or returns no message.
 */
export async function generativeAnswer(question: string, hits: readonly MeshSearchHit[], config: GenerationConfig, logger: Logger): Promise<AnswerResult> {
  const passages = hits.map((hit, i) => `[${i + 1}] ${hit.text}`).join('\n\n');
  const body = {
    model: config.model,
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: `Passages:\n${passages}\n\nQuestion: ${question}` },
    ],
  };
  const url = new URL('/v1/chat/completions', config.url).toString();
  const content = await postCompletion(url, body, config, logger);
  return { mode: 'GENERATIVE', text: content, model: config.model, sources: hits };
}

async function postCompletion(url: string, body: object, config: GenerationConfig, logger: Logger): Promise<string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (config.apiKey !== undefined) {
    headers.authorization = `Bearer ${config.apiKey}`;
  }
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(config.timeoutMs) });
  } catch (error) {
    logger.error({ err: error, url }, 'chat completion request failed');
    throw errors.GENERATION_FAILED.error(`Chat completion request to ${url} failed: ${(error as Error).message}.`);
  }
  if (!response.ok) {
    logger.error({ url, status: response.status }, 'chat completion request failed');
    throw errors.GENERATION_FAILED.error(`Chat completion server ${url} returned HTTP ${response.status}.`);
  }
  const payload = (await response.json()) as { choices?: Array<{ message?: { content?: unknown } }> };
  const content = payload.choices?.[0]?.message?.content;
  if (typeof content !== 'string' || content === '') {
    throw errors.GENERATION_FAILED.error(`Chat completion server ${url} returned no message in choices[0].message.content.`);
  }
  return content;
}
