import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { errors } from '../errors/index.js';
import type { Logger } from '../logger.js';

/** Codes Apollo Server and Apollo Gateway set themselves, passed through unchanged. */
const APOLLO_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'DOWNSTREAM_SERVICE_ERROR',
]);

const REGISTERED_CODES = new Set(Object.values(errors).map((code) => code.code));

/**
 * Creates Apollo Server's `formatError`: errors with a registered or Apollo code pass unchanged, any
 * other error becomes INTERNAL_SERVER_ERROR with a fixed message, and the original goes to the log
 * only, so no internal detail or stack trace reaches a client.
 */
export function createFormatError(logger: Logger, extraCodes: Iterable<string> = []) {
  const known = new Set([...APOLLO_CODES, ...REGISTERED_CODES, ...extraCodes]);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && known.has(code) && code !== 'INTERNAL_SERVER_ERROR') {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error({ err: unwrapResolverError(error), path: formatted.path }, 'unexpected error in a request');
    return {
      message: 'Internal server error.',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: errors.INTERNAL_SERVER_ERROR.code },
    };
  };
}
