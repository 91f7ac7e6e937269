import { AutoscalingHints } from '../../../gateway/hints/index.js';
import { createMetrics } from '../../../gateway/metrics/index.js';

/** Reads the samples of a Prometheus text exposition into `name{labels}` → value. */
function parseExposition(body: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of body.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match === null) throw new Error(`not an exposition sample line: ${line}`);
    samples.set(match[1] + (match[2] ?? ''), Number(match[3]));
  }
  return samples;
}

function newMetrics(clock: { time: number }) {
  const hints = new AutoscalingHints({
    subgraphs: {
      lake: { capacityPerReplica: 10, minReplicas: 1, maxReplicas: 5 },
      warehouse: { capacityPerReplica: 50, minReplicas: 2, maxReplicas: 4 },
    },
    windowSeconds: 10,
    clock: () => clock.time,
  });
  return createMetrics(hints, { defaultMetrics: false });
}

async function scrape(metrics: ReturnType<typeof createMetrics>): Promise<Map<string, number>> {
  return parseExposition((await metrics.metricsResponse()).body);
}

describe('createMetrics', () => {
  it('sums cost counters by subgraph', async () => {
    const metrics = newMetrics({ time: 0 });

    metrics.recordEstimatedCost({ total: 30, bySubgraph: { lake: 20, warehouse: 10 } });
    metrics.recordEstimatedCost({ total: 5, bySubgraph: { lake: 5 } });
    metrics.recordActualCost({ total: 12, bySubgraph: { lake: 12 } });
    const samples = await scrape(metrics);

    expect(samples.get('meshgate_cost_estimated_total{subgraph="lake"}')).toBe(25);
    expect(samples.get('meshgate_cost_estimated_total{subgraph="warehouse"}')).toBe(10);
    expect(samples.get('meshgate_cost_actual_total{subgraph="lake"}')).toBe(12);
  });

  it('buckets operation costs in the histogram', async () => {
    const metrics = newMetrics({ time: 0 });

    for (const total of [1, 7, 7, 300]) metrics.recordEstimatedCost({ total, bySubgraph: {} });
    const samples = await scrape(metrics);

    expect(samples.get('meshgate_operation_cost_estimated_bucket{le="5"}')).toBe(1);
    expect(samples.get('meshgate_operation_cost_estimated_bucket{le="10"}')).toBe(3);
    expect(samples.get('meshgate_operation_cost_estimated_bucket{le="500"}')).toBe(4);
    expect(samples.get('meshgate_operation_cost_estimated_sum')).toBe(315);
    expect(samples.get('meshgate_operation_cost_estimated_count')).toBe(4);
    expect(samples.get('meshgate_operation_cost_actual_count')).toBe(0);
  });

  it('observes subgraph request durations', async () => {
    const metrics = newMetrics({ time: 0 });

    metrics.observeSubgraphRequest('lake', 0.02);
    metrics.observeSubgraphRequest('lake', 0.3);
    const samples = await scrape(metrics);

    expect(samples.get('meshgate_subgraph_request_duration_seconds_bucket{le="0.025",subgraph="lake"}')).toBe(1);
    expect(samples.get('meshgate_subgraph_request_duration_seconds_bucket{le="0.5",subgraph="lake"}')).toBe(2);
    expect(samples.get('meshgate_subgraph_request_duration_seconds_sum{subgraph="lake"}')).toBeCloseTo(0.32, 10);
  });

  it('counts subgraph errors by code', async () => {
    const metrics = newMetrics({ time: 0 });

    metrics.recordSubgraphError('warehouse', 'BACKEND_QUERY_FAILED');
    metrics.recordSubgraphError('warehouse', 'BACKEND_QUERY_FAILED');
    metrics.recordSubgraphError('warehouse', 'something went wrong');
    metrics.recordSubgraphError('warehouse', undefined);
    const samples = await scrape(metrics);

    expect(samples.get('meshgate_subgraph_errors_total{subgraph="warehouse",code="BACKEND_QUERY_FAILED"}')).toBe(2);
    expect(samples.get('meshgate_subgraph_errors_total{subgraph="warehouse",code="UNKNOWN"}')).toBe(2);
  });

  it('exports the hints at scrape time', async () => {
    const clock = { time: 0 };
    const metrics = newMetrics(clock);

    metrics.recordActualCost({ total: 450, bySubgraph: { lake: 250, warehouse: 200 } });
    const samples = await scrape(metrics);

    // lake: 250 / 10 s = 25 per second at 10 per replica → 3. warehouse: 20 per second → 1, raised to its minimum of 2.
    expect(samples.get('meshgate_cost_rate{subgraph="lake"}')).toBe(25);
    expect(samples.get('meshgate_cost_rate{subgraph="warehouse"}')).toBe(20);
    expect(samples.get('meshgate_desired_replicas{subgraph="lake"}')).toBe(3);
    expect(samples.get('meshgate_desired_replicas{subgraph="warehouse"}')).toBe(2);
  });

  it('reads the cost rate anew on each scrape', async () => {
    const clock = { time: 0 };
    const metrics = newMetrics(clock);
    metrics.recordActualCost({ total: 250, bySubgraph: { lake: 250 } });

    clock.time = 10_000;
    const samples = await scrape(metrics);

    expect(samples.get('meshgate_cost_rate{subgraph="lake"}')).toBe(0);
  });

  it('serves the Prometheus text content type', async () => {
    const metrics = newMetrics({ time: 0 });

    const response = await metrics.metricsResponse();

    expect(response.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('keeps registries of two gateways apart', async () => {
    const first = newMetrics({ time: 0 });
    const second = newMetrics({ time: 0 });

    first.recordActualCost({ total: 5, bySubgraph: { lake: 5 } });
    const samples = await scrape(second);

    expect(samples.get('meshgate_cost_actual_total{subgraph="lake"}')).toBeUndefined();
  });
});
