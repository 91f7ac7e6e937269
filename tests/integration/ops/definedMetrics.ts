import { AutoscalingHints } from '../../../gateway/hints/index.js';
import { createMetrics } from '../../../gateway/metrics/index.js';

/** Names of the series `gateway/metrics` exports, histograms with their `_bucket/_sum/_count` series. */
export async function definedMetricNames(): Promise<Set<string>> {
  const metrics = createMetrics(new AutoscalingHints({ subgraphs: {} }), { defaultMetrics: false });
  const names = new Set<string>();
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
  }
  return names;
}

/** Metric names of meshgate that a PromQL expression reads. */
export function meshgateMetricsIn(expression: string): string[] {
  return expression.match(/\bmeshgate_[a-z0-9_]+/g) ?? [];
}
