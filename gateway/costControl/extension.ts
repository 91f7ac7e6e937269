import type { GatewayExtensionFactory } from '../plugins.js';
import { createCostControl } from './createCostControl.js';
import { useCostControl } from './plugin.js';
import { costRoutes } from './routes.js';

/**
 * Creates the cost-control extension of the gateway: the `useCostControl` plugin, `/metrics` and
 * `/autoscaling`. Per-subgraph maxima also need `didResolveQueryPlan` and `guardSubgraphCost`
 * in `createGateway`.
 */
export const costControlExtension: GatewayExtensionFactory = async ({ config, logger, supergraphSdl }) => {
  const costLogger = logger.child({ component: 'cost' });
  const control = createCostControl({ config, supergraphSdl, logger: costLogger });
  costLogger.info({ mode: config.cost.mode, maxCost: config.cost.maxCost, budgetStore: config.budget.store }, 'cost control ready');
  return {
    name: 'costControl',
    plugins: [useCostControl({ runtime: control.runtime, limits: config.limits, estimator: control.estimator })],
    routes: costRoutes(control.metrics, control.hints),
    close: () => control.budgetStore.close(),
  };
};
