import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AutoscalingHints } from '../hints/index.js';
import { COST_BUCKETS, DURATION_BUCKETS } from './histogramBuckets.js';

/** Cost of one operation, in total and per subgraph it fetched from. */
export interface OperationCost {
  total: number;
  bySubgraph: Readonly<Record<string, number>>;
}

/** Recorders of the gateway's metrics and the registry they write to. */
export interface Metrics {
  readonly registry: Registry;
  /** Records the estimated cost of an operation the gateway admitted. */
  recordEstimatedCost(cost: OperationCost): void;
  /** Records the actual cost of an executed operation and feeds it to the autoscaling hints. */
  recordActualCost(cost: OperationCost): void;
  observeSubgraphRequest(subgraph: string, durationSeconds: number): void;
  /** Counts an error of a subgraph by its `extensions.code`. */
  recordSubgraphError(subgraph: string, code: string | undefined): void;
  /** Renders the registry in the Prometheus text format, for `GET /metrics`. */
  metricsResponse(): Promise<{ contentType: string; body: string }>;
}

export interface MetricsOptions {
  /** Adds Node.js process metrics (CPU, memory, event loop lag); default true. */
  defaultMetrics?: boolean;
}

/**
 * Codes that are not upper snake case of at most 64 characters are counted as `UNKNOWN`, so a
 * subgraph that puts free text in `extensions.code` cannot create unbounded label values.
 */
const ERROR_CODE_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * Creates the gateway's Prometheus metrics in a registry of their own (not prom-client's global
 * one, so several gateways in one process, as in tests, do not collide). The replica and cost-rate
 * gauges are read from `hints` at scrape time.
 */
export function createMetrics(hints: AutoscalingHints, options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const costs = registerCostMetrics(registry);
  const duration = new Histogram({
    name: 'meshgate_subgraph_request_duration_seconds',
    help: 'Duration of the gateway\'s fetches to a subgraph, in seconds.',
    labelNames: ['subgraph'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const subgraphErrors = new Counter({
    name: 'meshgate_subgraph_errors_total',
    help: 'Errors returned by subgraphs, by extensions.code.',
    labelNames: ['subgraph', 'code'],
    registers: [registry],
  });
  registerHintGauges(registry, hints);

  return {
    registry,
    recordEstimatedCost: (cost) => costs.record('estimated', cost),
    recordActualCost: (cost) => {
      costs.record('actual', cost);
      for (const [subgraph, value] of Object.entries(cost.bySubgraph)) hints.record(subgraph, value);
    },
    observeSubgraphRequest: (subgraph, durationSeconds) => duration.observe({ subgraph }, durationSeconds),
    recordSubgraphError: (subgraph, code) => subgraphErrors.inc({ subgraph, code: errorCodeLabel(code) }),
    metricsResponse: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}

function registerCostMetrics(registry: Registry): { record(kind: 'estimated' | 'actual', cost: OperationCost): void } {
  const totals = {
    estimated: costCounter(registry, 'estimated'),
    actual: costCounter(registry, 'actual'),
  };
  const histograms = {
    estimated: costHistogram(registry, 'estimated'),
    actual: costHistogram(registry, 'actual'),
  };

  return {
    record(kind, cost) {
      histograms[kind].observe(cost.total);
      for (const [subgraph, value] of Object.entries(cost.bySubgraph)) totals[kind].inc({ subgraph }, value);
    },
  };
}

function costCounter(registry: Registry, kind: 'estimated' | 'actual'): Counter<'subgraph'> {
  return new Counter({
    name: `meshgate_cost_${kind}_total`,
    help: `Sum of the ${kind} cost of operations, in cost points, by subgraph.`,
    labelNames: ['subgraph'],
    registers: [registry],
  });
}

function costHistogram(registry: Registry, kind: 'estimated' | 'actual'): Histogram {
  return new Histogram({
    name: `meshgate_operation_cost_${kind}`,
    help: `The ${kind} cost of one operation, in cost points.`,
    buckets: COST_BUCKETS,
    registers: [registry],
  });
}

function registerHintGauges(registry: Registry, hints: AutoscalingHints): void {
  new Gauge({
    name: 'meshgate_desired_replicas',
    help: 'Replicas each subgraph needs for its cost rate, within its minimum and maximum.',
    labelNames: ['subgraph'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [subgraph, hint] of Object.entries(hints.snapshot())) this.set({ subgraph }, hint.desiredReplicas);
    },
  });
  new Gauge({
    name: 'meshgate_cost_rate',
    help: 'Actual cost per second each subgraph served, averaged over the autoscaling window.',
    labelNames: ['subgraph'],
    registers: [registry],
    collect() {
      this.reset();
      for (const subgraph of hints.subgraphs()) this.set({ subgraph }, hints.costPerSecond(subgraph));
    },
  });
}

function errorCodeLabel(code: string | undefined): string {
  return code !== undefined && ERROR_CODE_PATTERN.test(code) ? code : 'UNKNOWN';
}
