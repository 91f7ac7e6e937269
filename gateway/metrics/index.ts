export { COST_BUCKETS, DURATION_BUCKETS } from './histogramBuckets.js';
export { createMetrics, type Metrics, type MetricsOptions, type OperationCost } from './createMetrics.js';
