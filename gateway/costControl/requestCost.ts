import type { GraphQLFormattedError } from 'graphql';

import type { ThrottleStatus } from '../budget/index.js';
import type { CostControlRuntime } from './runtime.js';

/** Estimated and actual cost of the fetches of one operation to one subgraph. */
export interface SubgraphCost {
  estimated: number;
  actual?: number;
}

/** The cost state of one request, from its estimate to its response. */
export interface RequestCost {
  readonly runtime: CostControlRuntime;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly estimated: number;
  readonly bySubgraph: Map<string, SubgraphCost>;
  /** The error each fetch to a subgraph returns instead of being sent, by subgraph name. */
  readonly rejections: Map<string, GraphQLFormattedError>;
  readonly budget: ThrottleStatus | null;
}

/**
 * Cost state by request context. Apollo Gateway hands the same context object to the envelop
 * hooks, the query-plan callback and every data source of a request, so the key ties them
 * together, and the entry goes when the request does.
 */
const requestCosts = new WeakMap<object, RequestCost>();

export function attachRequestCost(context: object, cost: RequestCost): void {
  requestCosts.set(context, cost);
}

/** Returns the cost state of the request of `context`, or undefined when no cost plugin runs. */
export function requestCostOf(context: unknown): RequestCost | undefined {
  return typeof context === 'object' && context !== null ? requestCosts.get(context) : undefined;
}
