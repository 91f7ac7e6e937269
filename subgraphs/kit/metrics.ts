import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Creates a subgraph's Prometheus registry: process metrics and the number of backend statements,
 * read from the backend at scrape time, so batching shows as statements per request.
 */
export function createSubgraphMetrics(subgraph: string, statementsRun: () => number): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ subgraph });
  collectDefaultMetrics({ register: registry });
  let reported = 0;
  new Counter({
    name: 'meshgate_backend_statements_total',
    help: 'SQL statements the subgraph ran on its backend.',
    registers: [registry],
    collect() {
      const current = statementsRun();
      this.inc(current - reported);
      reported = current;
    },
  });
  return registry;
}

/** A `/metrics` route serving a registry in the Prometheus text format. */
export function metricsRoute(registry: Registry) {
  return async (_request: IncomingMessage, response: ServerResponse) => {
    response.setHeader('content-type', registry.contentType);
    response.end(await registry.metrics());
  };
}
