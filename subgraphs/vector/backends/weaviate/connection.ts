import weaviate, { ApiKey, generateUuid5, type WeaviateClient } from 'weaviate-ts-client';
import type { WeaviateConfig } from '../../../../core/config/sections/vector.js';
import { readApiKey } from '../../../../core/config/apiKey.js';

/** The Weaviate options the search backend and the index writer share. */
export interface WeaviateConnection {
  readonly client: WeaviateClient;
  /** Time allowed for one request, in milliseconds. */
  readonly timeoutMs: number;
  /** Tenant of every object and query; undefined for classes without multi-tenancy. */
  readonly tenant: string | undefined;
}

/**
 * Opens a client for the cluster of `vector.backend`, reading its API key from where the config names it.
 *
 * @throws ConfigError when the API key's environment variable or file cannot be read.
 */
export function connectWeaviate(config: WeaviateConfig): WeaviateConnection {
  const parsed = new URL(config.url);
  const apiKey = readApiKey(config, 'vector.backend');
  const client = weaviate.client({ scheme: parsed.protocol.replace(':', ''), host: parsed.host, apiKey: apiKey === undefined ? undefined : new ApiKey(apiKey) });
  return { client, timeoutMs: config.timeoutMs, tenant: config.tenant };
}

/** Returns the Weaviate class of a collection: its name with a capital first letter, as Weaviate requires. */
export function weaviateClassName(collection: string): string {
  return collection.charAt(0).toUpperCase() + collection.slice(1);
}

/**
 * Returns the object UUID of a document: a version 5 UUID of its id in the DNS namespace, as
 * weaviate-ts-client's `generateUuid5` computes it. The same id always gives the same UUID, so a
 * re-import replaces the object instead of adding a second one.
 */
export function objectId(documentId: string): string {
  return generateUuid5(documentId);
}

/** The request did not complete within `vector.backend.timeoutMs`. */
export class WeaviateTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'WeaviateTimeoutError';
  }
}

/**
 * Settles like `request`, or rejects with WeaviateTimeoutError after `timeoutMs`.
 * NOTE: the HTTP request itself goes on until the server responds, because weaviate-ts-client 2.2
 * accepts no AbortSignal or timeout.
 */
export async function withTimeout<T>(request: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WeaviateTimeoutError(timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([request, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Describes a failed request in one phrase: the timeout, the first GraphQL error message, the HTTP
 * status with Weaviate's first error message, or the network error. The client's own messages embed
 * the whole request (graphql-request's `ClientError`, query vector included) or the raw response body.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof WeaviateTimeoutError) {
    return error.message;
  }
  const response = (error as { response?: { status?: number; errors?: ReadonlyArray<{ message?: unknown }> } }).response;
  if (response !== undefined) {
    const message = response.errors?.[0]?.message;
    return typeof message === 'string' ? message.replace(/\.$/, '') : `HTTP ${response.status ?? 'error'}`;
  }
  return describeRestFailure(error as Error);
}

/** weaviate-ts-client 2.2 rejects a REST call that got HTTP 400 or above with "usage error (STATUS): BODY". */
const REST_FAILURE = /^usage error \((\d+)\): ([\s\S]*)$/;

function describeRestFailure(error: Error): string {
  const match = REST_FAILURE.exec(error.message);
  if (match === null) {
    const cause = (error.cause as NodeJS.ErrnoException | undefined)?.code;
    return cause === undefined ? error.message : `${error.message} (${cause})`;
  }
  const [, status, body] = match;
  const message = firstErrorMessage(body);
  return message === undefined ? `HTTP ${status}` : `HTTP ${status}: ${message.replace(/\.$/, '')}`;
}

/** Returns `error[0].message` of a Weaviate error body, `{"error":[{"message":"…"}]}`. */
function firstErrorMessage(body: string): string | undefined {
  try {
    const message = (JSON.parse(body) as { error?: ReadonlyArray<{ message?: unknown }> }).error?.[0]?.message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}
