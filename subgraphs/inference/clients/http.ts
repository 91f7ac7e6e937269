import { errors } from '../../../core/errors/index.js';
import type { Logger } from '../../../core/logger.js';

interface RequestOptions {
  readonly timeoutMs: number;
  readonly headers?: Record<string, string>;
  readonly logger: Logger;
}

/**
 * Sends a JSON POST and returns the parsed JSON body. `timeoutMs` bounds the whole exchange,
 * reading the body included, so a server that sends headers and then stalls also times out.
 *
 * @throws MODEL_SERVER_FAILED when the server cannot be reached, does not respond within
 *   `timeoutMs`, responds with a status other than 2xx, or sends a body that is not JSON; the
 *   cause is logged, not returned.
 */
export function postJson(url: string, body: unknown, options: RequestOptions): Promise<unknown> {
  return requestJson(url, { method: 'POST', headers: { 'content-type': 'application/json', ...options.headers }, body: JSON.stringify(body) }, options);
}

/** Sends a GET and returns the parsed JSON body, with the timeout and errors of `postJson`. */
export function getJson(url: string, options: RequestOptions): Promise<unknown> {
  return requestJson(url, { method: 'GET', headers: options.headers }, options);
}

async function requestJson(url: string, init: RequestInit, options: RequestOptions): Promise<unknown> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let status: number;
  let text: string;
  try {
    const response = await fetch(url, { ...init, signal });
    status = response.status;
    text = await response.text();
  } catch (error) {
    throw requestFailed(url, error, options);
  }

  if (status < 200 || status > 299) {
    options.logger.error({ url, status, body: text.slice(0, 500) }, 'model server returned an error');
    throw errors.MODEL_SERVER_FAILED.error(`The model server at ${url} returned HTTP ${status}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    options.logger.error({ url, body: text.slice(0, 500) }, 'model server response is not JSON');
    throw errors.MODEL_SERVER_FAILED.error(`The model server at ${url} sent a response that is not JSON.`);
  }
}

/** Creates the error for a response that parsed as JSON but lacks what the protocol requires. */
export function malformedResponse(url: string, problem: string, logger: Logger): Error {
  logger.error({ url, problem }, 'model server response is malformed');
  return errors.MODEL_SERVER_FAILED.error(`The model server at ${url} sent a malformed response: ${problem}.`);
}

/** Tells a timeout (the `AbortSignal.timeout` fired) apart from a server that cannot be reached. */
function requestFailed(url: string, error: unknown, options: { timeoutMs: number; logger: Logger }): Error {
  options.logger.error({ err: error, url }, 'model server request failed');
  // No `instanceof`: the DOMException that fetch rejects with may come from another realm.
  if (typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'TimeoutError') {
    return errors.MODEL_SERVER_FAILED.error(`The model server at ${url} did not respond within ${options.timeoutMs} ms.`);
  }
  return errors.MODEL_SERVER_FAILED.error(`The model server at ${url} could not be reached; check that it is running and that the URL is right.`);
}
