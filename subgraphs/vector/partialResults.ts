import type { ApolloServerPlugin } from '@apollo/server';
import { locatedError, responsePathAsArray, type GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { errors } from '../../core/errors/index.js';
import type { RequestContext } from '../../core/http/service.js';

/** A backend failure that left one collection's results incomplete. */
export interface PartialFailure {
  readonly collection: string;
  /** The failure as a sentence for the client, naming the backend and the collection. */
  readonly message: string;
}

/**
 * Errors reported for fields that still returned data, per request. The key is the context object,
 * which Apollo Server hands unchanged to every resolver and plugin hook of a single operation.
 */
const reportedErrors = new WeakMap<object, GraphQLError[]>();

/**
 * Records each partial failure as a SEARCH_PARTIAL_RESULTS error of the field being resolved, for
 * `partialResultsPlugin` to add to the response next to the field's data, and logs it. `context` is
 * the resolver's context, which `startService` builds as a RequestContext for every subgraph.
 */
export function reportPartialFailures(failures: readonly PartialFailure[], context: object, info: GraphQLResolveInfo): void {
  if (failures.length === 0) {
    return;
  }
  const path = responsePathAsArray(info.path);
  const located = failures.map((failure) => locatedError(errors.SEARCH_PARTIAL_RESULTS.error(failure.message, { collection: failure.collection }), info.fieldNodes, path));
  reportedErrors.set(context, [...(reportedErrors.get(context) ?? []), ...located]);
  const { logger } = context as RequestContext;
  for (const failure of failures) {
    logger.warn({ collection: failure.collection, path: path.join('.'), reason: failure.message }, 'search backend returned partial results');
  }
}

/**
 * Apollo Server plugin that appends the errors `reportPartialFailures` recorded to the response's
 * `errors`, after the execution errors, and keeps `data`. A field that returns a non-null list
 * cannot carry an error of its own without losing its data, so the error is added here instead.
 */
export function partialResultsPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const reported = reportedErrors.get(contextValue);
          if (reported === undefined || response.body.kind !== 'single') {
            return;
          }
          const result = response.body.singleResult;
          result.errors = [...(result.errors ?? []), ...reported.map((error) => error.toJSON())];
        },
      };
    },
  };
}
