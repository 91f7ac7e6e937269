import type { QueryPlan } from '@apollo/query-planner';
import type { DocumentNode } from 'graphql';

import type { CostSection } from '../../core/config/sections/cost.js';
import type { Logger } from '../../core/logger.js';
import type { CostBudget } from '../budget/index.js';
import type { CostOptions, CostSchema, QueryPlanCost } from '../cost/index.js';
import type { Metrics } from '../metrics/index.js';

/** What the cost plugin, the query-plan hook and the guarded data sources of one gateway share. */
export interface CostControlRuntime {
  readonly mode: CostSection['mode'];
  readonly maxCost: number;
  /** Maximum estimated cost of the fetches to a subgraph, by subgraph name, where one is configured. */
  readonly subgraphMaxima: ReadonlyMap<string, number>;
  readonly subgraphSchemas: ReadonlyMap<string, CostSchema>;
  readonly costOptions: CostOptions;
  readonly budget?: CostBudget;
  readonly metrics?: Metrics;
  readonly logger: Logger;
  /** Plan prices by query plan (Apollo Gateway caches plans, so they are stable) and variables. */
  readonly planPrices: WeakMap<QueryPlan, Map<string, QueryPlanCost>>;
  /** Parsed fetch operations by their text, for measuring the actual cost of subgraph responses. */
  readonly fetchDocuments: Map<string, DocumentNode>;
}

/** Entries kept in `fetchDocuments`; a query plan has a handful of distinct fetches per operation. */
export const FETCH_DOCUMENT_CACHE_SIZE = 1000;
