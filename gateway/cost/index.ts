export { measureActualCost, type ActualRequest } from './actual.js';
export { createCostEstimator, type CostCacheStats, type CostEstimator, type CostEstimatorOptions } from './cache.js';
export { readCostDirectives, type CostDirectives, type ListSizeDirective } from './directives.js';
export {
  estimateCost,
  OPERATION_BASE_COST,
  type CostEstimate,
  type EstimateRequest,
  type FieldCostEntry,
} from './estimate.js';
export { DEFAULT_LIST_SIZE, resolveCostOptions, type CostOptions, type CostOptionsInput } from './options.js';
export { estimateQueryPlan, type QueryPlanCost } from './queryPlan.js';
export {
  assertEstimateWithinMaximum,
  assertSubgraphEstimateWithinMaximum,
  operationLimitError,
  throttledError,
  type OperationLimit,
} from './rejections.js';
export { loadCostSchema, loadSubgraphCostSchemas, type CostSchema } from './schema.js';
