export { budgetKeyOf } from './budgetCharge.js';
export type { CostReport } from './costReport.js';
export { createCostControl, type CostControl, type CostControlDependencies } from './createCostControl.js';
export { costControlExtension } from './extension.js';
export { guardSubgraphCost } from './guardedDataSource.js';
export { checkOperationLimits, countAliases, countRootFields, countTokens, selectionDepth } from './operationLimits.js';
export { useCostControl, type CostControlOptions } from './plugin.js';
export { didResolveQueryPlan } from './queryPlanHook.js';
export { costRoutes } from './routes.js';
