import type { GraphQLError } from 'graphql';
import { errors } from '../../../core/errors/index.js';
import type { Logger } from '../../../core/logger.js';

/** Maximum length of a server's error message in a client's error or a log line, in characters. */
const MAX_SERVER_MESSAGE_LENGTH = 200;

/**
 * Reads the error message from the body of a failed response, in the forms model servers send:
 * `{"error": "…"}` (KServe v2, Triton, TEI's own routes), `{"error": {"message": "…"}}` (OpenAI,
 * recent vLLM) and `{"message": "…"}` (TEI's `/v1` routes, older vLLM). Only that message is read,
 * never the rest of the body, because a validation error may echo the request, and its texts must
 * not reach a log. The message is put on one line and cut to 200 characters.
 *
 * @returns undefined when the body is not JSON or has no message in these forms
 */
export function readServerMessage(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const message = findMessage(parsed);
  return message === undefined ? undefined : shorten(message);
}

function findMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { error, message } = body as { error?: unknown; message?: unknown };
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return typeof message === 'string' ? message : undefined;
}

function shorten(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > MAX_SERVER_MESSAGE_LENGTH ? `${line.slice(0, MAX_SERVER_MESSAGE_LENGTH)}…` : line;
}

/** Adds the attempt count to a message when the request was retried. */
function attemptsNote(attempts: number): string {
  return attempts > 1 ? ` (${attempts} attempts)` : '';
}

/** Creates MODEL_SERVER_TIMEOUT for a request whose last attempt did not finish within `timeoutMs`. */
export function timeoutError(url: string, timeoutMs: number, attempts: number): GraphQLError {
  return errors.MODEL_SERVER_TIMEOUT.error(`The model server at ${url} did not respond within ${timeoutMs} ms${attemptsNote(attempts)}.`);
}

/** Creates MODEL_SERVER_UNREACHABLE for a request that got no response on any attempt. */
export function unreachableError(url: string, attempts: number, refused: boolean): GraphQLError {
  const failure = refused ? 'could not be reached' : 'closed the connection before responding';
  return errors.MODEL_SERVER_UNREACHABLE.error(
    `The model server at ${url} ${failure}${attemptsNote(attempts)}; check that it is running and that the URL is right.`,
  );
}

/** Creates MODEL_SERVER_ERROR for an HTTP error status, ending with the server's message when it sent one. */
export function statusError(url: string, status: number, serverMessage: string | undefined, attempts: number): GraphQLError {
  const detail = serverMessage === undefined ? '' : `: ${serverMessage.replace(/\.$/, '')}`;
  return errors.MODEL_SERVER_ERROR.error(`The model server at ${url} returned HTTP ${status}${attemptsNote(attempts)}${detail}.`, { status });
}

/**
 * Creates MODEL_SERVER_MALFORMED_RESPONSE for a response that is not JSON or lacks what the
 * protocol requires, and logs it. `problem` names what is wrong, never the values sent.
 */
export function malformedResponse(url: string, problem: string, logger: Logger): GraphQLError {
  logger.error({ url, problem }, 'model server response is malformed');
  return errors.MODEL_SERVER_MALFORMED_RESPONSE.error(`The model server at ${url} sent a malformed response: ${problem}.`);
}
