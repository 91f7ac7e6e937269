import type { GraphQLError } from 'graphql';
import { errors } from '../../core/errors/index.js';
import type { BudgetStatus } from './types.js';

/** Creates the THROTTLED error of a rejected charge, naming the cost, the budget and the wait. */
export function throttledError(status: BudgetStatus, cost: number): GraphQLError {
  const extensions = {
    cost,
    maximum: status.maximum,
    available: status.available,
    restoreRate: status.restoreRate,
    retryAfterSeconds: status.retryAfterSeconds,
  };
  if (status.retryAfterSeconds === null) {
    return errors.THROTTLED.error(
      `Operation cost ${cost} is above the cost budget maximum of ${status.maximum}, so it cannot run within the budget; reduce the page sizes it requests.`,
      extensions,
    );
  }
  return errors.THROTTLED.error(
    `Operation cost ${cost} exceeds the ${formatPoints(status.available)} points left in the cost budget; retry after ${status.retryAfterSeconds} s.`,
    extensions,
  );
}

function formatPoints(points: number): string {
  return Number.isInteger(points) ? String(points) : points.toFixed(1);
}
