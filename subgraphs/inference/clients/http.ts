import { setTimeout as sleep } from 'node:timers/promises';
import type { GraphQLError } from 'graphql';
import type { Logger } from '../../../core/logger.js';
import { backoffDelayMs, parseRetryAfterMs } from './backoff.js';
import { malformedResponse, readServerMessage, statusError, timeoutError, unreachableError } from './serverErrors.js';

/** The time bounds and retries of requests to one model server, as its `inference.*` config section sets them. */
export interface RequestOptions {
  /** Time one attempt may take, reading the body included, in milliseconds. */
  readonly timeoutMs: number;
  /** Retries after the first attempt of an idempotent request. */
  readonly maxRetries: number;
  readonly retryBaseMs: number;
  readonly retryMaxDelayMs: number;
  /** Maximum time one request may take with all its attempts and delays, in milliseconds. */
  readonly totalTimeoutMs: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly logger: Logger;
}

/** The status and body of a response, unjudged. */
export interface HttpStatus {
  readonly status: number;
  readonly body: string;
}

/** The outcome of one attempt: a response of any status, a timeout, or a connection error. */
type AttemptResult =
  | { readonly kind: 'response'; readonly status: number; readonly body: string; readonly retryAfter: string | null }
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  | { readonly kind: 'connection'; readonly refused: boolean; readonly cause: string };

/**
 * Statuses after which the server may succeed later: rate limited (429), or a gateway or the
 * server itself temporarily unavailable (502, 503, 504). A 500 is not among them, because model
 * servers send it for failures of the request itself, such as running out of GPU memory on its input.
 */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** Error codes of a connection that was refused or whose host was not found, so no request reached a server. */
const REFUSED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Sends a JSON POST and returns the parsed JSON body. An `idempotent` request is retried like
 * `getJson`. Any other request is sent once, because a retry could repeat its effect or its cost.
 *
 * @throws MODEL_SERVER_TIMEOUT, MODEL_SERVER_UNREACHABLE, MODEL_SERVER_ERROR (a status other than
 *   2xx) or MODEL_SERVER_MALFORMED_RESPONSE (a body that is not JSON); each is logged at error
 */
export function postJson(url: string, body: unknown, options: RequestOptions & { readonly idempotent: boolean }): Promise<unknown> {
  const init = { method: 'POST', headers: { 'content-type': 'application/json', ...options.headers }, body: JSON.stringify(body) };
  return requestJson(url, init, options, options.idempotent);
}

/**
 * Sends a GET and returns the parsed JSON body. Connection errors, timeouts and HTTP 429, 502, 503
 * and 504 are retried up to `maxRetries` times, after an exponential backoff with jitter or the
 * server's `Retry-After`, both capped at `retryMaxDelayMs`, and never past `totalTimeoutMs`.
 * Each retry is logged at warn with the URL, the attempt and the reason.
 *
 * @throws the errors of `postJson`
 */
export function getJson(url: string, options: RequestOptions): Promise<unknown> {
  return requestJson(url, { method: 'GET', headers: options.headers }, options, true);
}

/**
 * Sends a GET with the retries of `getJson` and returns the final status and body without judging
 * them, for health checks whose result is the status.
 *
 * @throws MODEL_SERVER_TIMEOUT or MODEL_SERVER_UNREACHABLE when no attempt got a response. These
 *   are not logged, because a caller that polls readiness logs its progress itself.
 */
export async function getStatus(url: string, options: RequestOptions): Promise<HttpStatus> {
  const { result, attempts } = await send(url, { method: 'GET', headers: options.headers }, options, true);
  if (result.kind !== 'response') throw failureError(url, result, attempts);
  return { status: result.status, body: result.body };
}

async function requestJson(url: string, init: RequestInit, options: RequestOptions, idempotent: boolean): Promise<unknown> {
  const { result, attempts } = await send(url, init, options, idempotent);
  if (result.kind !== 'response') {
    options.logger.error({ url, attempts, reason: describeAttempt(result) }, 'model server request failed');
    throw failureError(url, result, attempts);
  }

  if (result.status < 200 || result.status > 299) {
    const serverMessage = readServerMessage(result.body);
    options.logger.error({ url, status: result.status, attempts, serverMessage }, 'model server returned an error');
    throw statusError(url, result.status, serverMessage, attempts);
  }
  try {
    return JSON.parse(result.body) as unknown;
  } catch {
    throw malformedResponse(url, 'the body is not JSON', options.logger);
  }
}

/**
 * Sends a request until an attempt ends in a way that a retry cannot change, the attempts are
 * used up, or the next delay would pass the total time bound. Returns the last attempt's result.
 */
async function send(url: string, init: RequestInit, options: RequestOptions, idempotent: boolean): Promise<{ result: AttemptResult; attempts: number }> {
  const deadline = Date.now() + options.totalTimeoutMs;
  const maxAttempts = idempotent ? options.maxRetries + 1 : 1;

  for (let attempt = 1; ; attempt += 1) {
    const result = await attemptOnce(url, init, Math.max(1, Math.min(options.timeoutMs, deadline - Date.now())));
    const delayMs = attempt < maxAttempts ? retryDelayMs(result, attempt, options) : undefined;
    if (delayMs === undefined || Date.now() + delayMs >= deadline) return { result, attempts: attempt };

    options.logger.warn({ url, attempt, maxAttempts, reason: describeAttempt(result), delayMs }, 'retrying model server request');
    await sleep(delayMs);
  }
}

/** Sends one attempt. `timeoutMs` bounds reading the body too, so a server that sends headers and then stalls times out. */
async function attemptOnce(url: string, init: RequestInit, timeoutMs: number): Promise<AttemptResult> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    return { kind: 'response', status: response.status, body, retryAfter: response.headers.get('retry-after') };
  } catch (error) {
    if (isTimeout(error)) return { kind: 'timeout', timeoutMs };
    return { kind: 'connection', ...describeConnectionError(error) };
  }
}

/** Returns the delay before retrying after `result`, or undefined when a retry would not help. */
function retryDelayMs(result: AttemptResult, retry: number, options: RequestOptions): number | undefined {
  if (result.kind === 'response') {
    if (!RETRYABLE_STATUSES.has(result.status)) return undefined;
    const retryAfterMs = parseRetryAfterMs(result.retryAfter, Date.now());
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, options.retryMaxDelayMs);
  }
  return backoffDelayMs(retry, options);
}

function failureError(url: string, result: Exclude<AttemptResult, { kind: 'response' }>, attempts: number): GraphQLError {
  return result.kind === 'timeout' ? timeoutError(url, result.timeoutMs, attempts) : unreachableError(url, attempts, result.refused);
}

function describeAttempt(result: AttemptResult): string {
  if (result.kind === 'response') return `HTTP ${result.status}`;
  if (result.kind === 'timeout') return `no response within ${result.timeoutMs} ms`;
  return `${result.refused ? 'connection failed' : 'connection closed'} (${result.cause})`;
}

/** Tells the `AbortSignal.timeout` firing apart from other failures, without `instanceof`, because fetch's DOMException may come from another realm. */
function isTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'TimeoutError';
}

/** Reads the system error code that Node's fetch puts on `cause`, such as ECONNREFUSED or UND_ERR_SOCKET. */
function describeConnectionError(error: unknown): { refused: boolean; cause: string } {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return { refused: code !== undefined && REFUSED_CODES.has(code), cause: code ?? String(cause?.message ?? error) };
}
