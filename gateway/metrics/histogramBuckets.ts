/**
 * Histogram buckets of operation cost, in cost points. They double from 1 to 10 000 because
 * operation costs spread over orders of magnitude, from a keyed lookup to a page of lake scans.
 */
export const COST_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000];

/** Histogram buckets of subgraph request duration, in seconds: 5 ms to 30 s. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
