import type { BudgetStatus } from './types.js';

/** The budget as Shopify's GraphQL Admin API reports it in `extensions.cost.throttleStatus`. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** Converts a charge's status into the `throttleStatus` object of `extensions.cost`. */
export function toThrottleStatus(status: BudgetStatus): ThrottleStatus {
  return {
    maximumAvailable: status.maximum,
    currentlyAvailable: status.available,
    restoreRate: status.restoreRate,
  };
}
