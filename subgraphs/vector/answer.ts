import type { GenerationConfig } from '../../core/config/sections/vector.js';
import { errors } from '../../core/errors/index.js';
import type { Logger } from '../../core/logger.js';
import { readApiKey } from '../../core/config/apiKey.js';
import type { MeshSearchHit } from './search.js';

export interface AnswerResult {
  readonly mode: 'EXTRACTIVE' | 'GENERATIVE';
  readonly text: string;
  readonly model: string | null;
  readonly sources: readonly MeshSearchHit[];
}

/** The chat-completions server of `vector.generation`, with its API key read at startup. */
export interface AnswerGenerator {
  readonly url: string;
  readonly model: string;
  /** Time allowed for one completion, in milliseconds. */
  readonly timeoutMs: number;
  /** Sent as `Authorization: Bearer <apiKey>` when set. */
  readonly apiKey?: string;
}

/**
 * Returns the answer generator that `vector.generation` configures, or undefined when it is not set.
 *
 * @throws ConfigError when the API key's environment variable or file cannot be read.
 */
export function configureAnswerGenerator(config: GenerationConfig | undefined): AnswerGenerator | undefined {
  if (config === undefined) {
    return undefined;
  }
  return { url: config.url, model: config.model, timeoutMs: config.timeoutMs, apiKey: readApiKey(config, 'vector.generation') };
}

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
 * Generates an answer from the hits with an OpenAI-compatible `/v1/chat/completions` server. The
 * answer's `model` is the one the server reports, or the configured one when the server omits it.
 * A failure is not hidden behind an extractive answer, so a caller can tell a degraded answer from
 * a generated one.
 *
 * @throws GENERATION_FAILED when the server fails, times out after `timeoutMs` or returns no message.
 */
export async function generativeAnswer(question: string, hits: readonly MeshSearchHit[], generator: AnswerGenerator, logger: Logger): Promise<AnswerResult> {
  const passages = hits.map((hit, i) => `[${i + 1}] ${hit.text}`).join('\n\n');
  const body = {
    model: generator.model,
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: `Passages:\n${passages}\n\nQuestion: ${question}` },
    ],
  };
  const url = new URL('/v1/chat/completions', generator.url).toString();
  const completion = await postCompletion(url, body, generator, logger);
  return { mode: 'GENERATIVE', text: completion.content, model: completion.model ?? generator.model, sources: hits };
}

interface Completion {
  readonly content: string;
  readonly model: string | undefined;
}

interface CompletionPayload {
  readonly model?: unknown;
  readonly choices?: ReadonlyArray<{ readonly message?: { readonly content?: unknown } }>;
}

async function postCompletion(url: string, body: object, generator: AnswerGenerator, logger: Logger): Promise<Completion> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (generator.apiKey !== undefined) {
    headers.authorization = `Bearer ${generator.apiKey}`;
  }

  let payload: CompletionPayload;
  try {
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(generator.timeoutMs) });
    if (!response.ok) {
      logger.error({ url, status: response.status }, 'chat completion request failed');
      throw errors.GENERATION_FAILED.error(`Chat completion server ${url} returned HTTP ${response.status}.`);
    }
    payload = (await response.json()) as CompletionPayload;
  } catch (error) {
    throw describeFailure(error, url, generator, logger);
  }

  const content = payload.choices?.[0]?.message?.content;
  if (typeof content !== 'string' || content === '') {
    logger.error({ url }, 'chat completion response has no message');
    throw errors.GENERATION_FAILED.error(`Chat completion server ${url} returned no message in choices[0].message.content.`);
  }
  return { content, model: typeof payload.model === 'string' && payload.model !== '' ? payload.model : undefined };
}

/** Turns a failed request, a timeout or an unreadable body into GENERATION_FAILED, and logs it. */
function describeFailure(error: unknown, url: string, generator: AnswerGenerator, logger: Logger): Error {
  if (errors.GENERATION_FAILED.matches(error)) {
    return error as Error;
  }
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    logger.error({ url, timeoutMs: generator.timeoutMs }, 'chat completion request timed out');
    return errors.GENERATION_FAILED.error(`Chat completion request to ${url} timed out after ${generator.timeoutMs} ms; raise vector.generation.timeoutMs or check the server.`);
  }
  logger.error({ err: error, url }, 'chat completion request failed');
  return errors.GENERATION_FAILED.error(`Chat completion request to ${url} failed: ${(error as Error).message}.`);
}
