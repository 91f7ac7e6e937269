import type { RouteHandler } from '../../core/http/service.js';
import type { AutoscalingHints } from '../hints/index.js';
import type { Metrics } from '../metrics/index.js';

/** Creates `GET /metrics` (Prometheus text format) and `GET /autoscaling` (the hints as JSON). */
export function costRoutes(metrics: Metrics, hints: AutoscalingHints): Record<string, RouteHandler> {
  return {
    '/metrics': async (_request, response) => {
      const { contentType, body } = await metrics.metricsResponse();
      response.statusCode = 200;
      response.setHeader('content-type', contentType);
      response.end(body);
    },
    '/autoscaling': (_request, response) => {
      response.statusCode = 200;
      response.setHeader('content-type', 'application/json; charset=utf-8');
      response.end(JSON.stringify({ subgraphs: hints.snapshot() }));
    },
  };
}
