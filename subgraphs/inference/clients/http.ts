import { errors } from '../../../core/errors/index.js';
import type { Logger } from '../../../core/logger.js';

/**
 * Sends a JSON POST and returns the parsed JSON body.
 *
 * @throws MODEL_SERVER_FAILED when the server does not answer within `timeoutMs`, answers with a
 *   status other than 2xx, or sends a body that is not JSON; the cause is logged, not returned.
 */
export async function postJson(url: string, body: unknown, options: { timeoutMs: number; headers?: Record<string, string>; logger: Logger }): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    options.logger.error({ err: error, url }, 'model server request failed');
    throw errors.MODEL_SERVER_FAILED.error(`The model server at ${url} did not respond within ${options.timeoutMs} ms.`);
  }

  const text = await response.text();
  if (!response.ok) {
    options.logger.error({ url, status: response.status, body: text.slice(0, 500) }, 'model server returned an error');
    throw errors.MODEL_SERVER_FAILED.error(`The model server at ${url} returned HTTP ${response.status}.`);
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
