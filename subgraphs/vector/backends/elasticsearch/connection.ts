import { Client, errors as esErrors } from '@elastic/elasticsearch';
import type { ElasticsearchConfig } from '../../../../core/config/sections/vector.js';
import { readApiKey } from '../../../../core/config/apiKey.js';

/**
 * Opens a client for the cluster of `vector.backend`, reading its API key from where the config
 * names it. The client waits `timeoutMs` for each response and repeats a request up to `maxRetries`
 * times after a connection error or HTTP 502, 503 or 504. Every request the adapter sends can be
 * repeated safely, because searches only read and writes name their document ids.
 *
 * @throws ConfigError when the API key's environment variable or file cannot be read.
 */
export function connectElasticsearch(config: ElasticsearchConfig): Client {
  const apiKey = readApiKey(config, 'vector.backend');
  return new Client({
    node: config.url,
    auth: apiKey === undefined ? undefined : { apiKey },
    requestTimeout: config.timeoutMs,
    maxRetries: config.maxRetries,
  });
}

/** Returns the status, error type and reason of an Elasticsearch error response, or the client's message otherwise. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof esErrors.ResponseError)) {
    return (error as Error).message;
  }
  const cause = (error.body as { error?: { type?: string; reason?: string } } | undefined)?.error;
  return cause?.type === undefined ? `HTTP ${error.statusCode}` : `HTTP ${error.statusCode} ${cause.type}: ${cause.reason ?? 'no reason given'}`;
}

/** Formats an Elasticsearch `ErrorCause` as "type: reason". */
export function describeCause(cause: { type?: string; reason?: string | null } | undefined): string {
  return `${cause?.type ?? 'unknown error'}: ${cause?.reason ?? 'no reason given'}`;
}
