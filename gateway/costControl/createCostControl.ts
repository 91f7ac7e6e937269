import type { MeshConfig } from '../../core/config/index.js';
import type { Logger } from '../../core/logger.js';
import { createCostBudget, type BudgetStore, type Clock } from '../budget/index.js';
import { createCostEstimator, loadCostSchema, loadSubgraphCostSchemas, resolveCostOptions, type CostEstimator } from '../cost/index.js';
import { AutoscalingHints } from '../hints/index.js';
import { createMetrics, type Metrics } from '../metrics/index.js';
import type { CostControlRuntime } from './runtime.js';

/** Parts of the cost control of one gateway. */
export interface CostControl {
  readonly runtime: CostControlRuntime;
  readonly estimator: CostEstimator;
  readonly hints: AutoscalingHints;
  readonly metrics: Metrics;
  readonly budgetStore: BudgetStore;
}

export interface CostControlDependencies {
  readonly config: Pick<MeshConfig, 'cost' | 'budget' | 'autoscaling'>;
  readonly supergraphSdl: string;
  readonly logger: Logger;
  /** Clock of the budget and the hints; default `Date.now`. */
  readonly clock?: Clock;
  /** Adds Node.js process metrics to `/metrics`; default true. */
  readonly defaultMetrics?: boolean;
}

/**
 * Builds the estimators, the budget, the hints and the metrics of one gateway from its config.
 *
 * @throws Error when the supergraph SDL is invalid, ConfigError when a section is.
 */
export function createCostControl(dependencies: CostControlDependencies): CostControl {
  const { config, logger, clock } = dependencies;
  const subgraphListSizes: Record<string, number> = {};
  const subgraphMaxima = new Map<string, number>();
  for (const [name, limits] of Object.entries(config.cost.subgraphs)) {
    if (limits.listSize !== undefined) subgraphListSizes[name] = limits.listSize;
    if (limits.maxCost !== undefined) subgraphMaxima.set(name, limits.maxCost);
  }
  const costOptions = resolveCostOptions({ listSize: config.cost.listSize, subgraphListSizes });

  const hints = new AutoscalingHints({ ...config.autoscaling, clock, logger });
  const metrics = createMetrics(hints, { defaultMetrics: dependencies.defaultMetrics });
  const { budget, store } = createCostBudget(config.budget, { clock, logger });
  const runtime: CostControlRuntime = {
    mode: config.cost.mode,
    maxCost: config.cost.maxCost,
    subgraphMaxima,
    subgraphSchemas: loadSubgraphCostSchemas(dependencies.supergraphSdl),
    costOptions,
    budget,
    metrics,
    logger,
    planPrices: new WeakMap(),
    fetchDocuments: new Map(),
  };
  const estimator = createCostEstimator(loadCostSchema(dependencies.supergraphSdl), costOptions);
  return { runtime, estimator, hints, metrics, budgetStore: store };
}
