import type { GraphQLError } from 'graphql';

import { errors } from '../../core/errors/index.js';

/**
 * Rejects an operation whose estimated cost is above the maximum.
 *
 * @throws GraphQLError `COST_ESTIMATED_TOO_EXPENSIVE` with `estimated` and `maximum`.
 */
export function assertEstimateWithinMaximum(estimated: number, maximum: number): void {
  if (estimated <= maximum) return;
  throw errors.COST_ESTIMATED_TOO_EXPENSIVE.error(
    `The estimated cost of the operation is ${estimated}, above the maximum of ${maximum}.`,
    { estimated, maximum },
  );
}

/**
 * Rejects an operation whose fetches to one subgraph are estimated above that subgraph's maximum.
 *
 * @throws GraphQLError `SUBGRAPH_COST_ESTIMATED_TOO_EXPENSIVE` with `subgraph`, `estimated` and `maximum`.
 */
export function assertSubgraphEstimateWithinMaximum(subgraph: string, estimated: number, maximum: number): void {
  if (estimated <= maximum) return;
  throw errors.SUBGRAPH_COST_ESTIMATED_TOO_EXPENSIVE.error(
    `The estimated cost of the fetches to subgraph "${subgraph}" is ${estimated}, above its maximum of ${maximum}.`,
    { subgraph, estimated, maximum },
  );
}

/** Creates the `THROTTLED` error (HTTP 429) of a caller whose cost budget is spent. */
export function throttledError(retryAfterSeconds: number): GraphQLError {
  return errors.THROTTLED.error(
    `The cost budget of the caller is spent. Retry after ${retryAfterSeconds} seconds.`,
    { retryAfterSeconds },
  );
}

/** The operation limits checked before cost, each with its code and the measure it limits. */
const OPERATION_LIMITS = {
  depth: { code: errors.MAX_DEPTH_EXCEEDED, measure: (found: number) => `a depth of ${found}` },
  aliases: { code: errors.MAX_ALIASES_EXCEEDED, measure: (found: number) => `${found} aliases` },
  rootFields: { code: errors.MAX_ROOT_FIELDS_EXCEEDED, measure: (found: number) => `${found} root fields` },
  tokens: { code: errors.MAX_TOKENS_EXCEEDED, measure: (found: number) => `${found} tokens` },
  documentSize: { code: errors.MAX_DOCUMENT_SIZE_EXCEEDED, measure: (found: number) => `${found} bytes` },
} as const;

export type OperationLimit = keyof typeof OPERATION_LIMITS;

/**
 * Creates the error of an operation above one of its limits, for example
 * "The operation has a depth of 12, above the limit of 10." with `extensions.limit` and `extensions.found`.
 */
export function operationLimitError(limit: OperationLimit, maximum: number, found: number): GraphQLError {
  const { code, measure } = OPERATION_LIMITS[limit];
  return code.error(`The operation has ${measure(found)}, above the limit of ${maximum}.`, { limit: maximum, found });
}
