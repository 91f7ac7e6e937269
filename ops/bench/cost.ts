import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ApolloServer } from '@apollo/server';
import type { MeshConfig } from '../../core/config/index.js';
import { startService, type RequestContext, type ServiceHandle } from '../../core/http/service.js';
import type { Logger } from '../../core/logger.js';
import { createCostEstimator, loadCostSchema } from '../../gateway/cost/index.js';
import { createCostControl, useCostControl } from '../../gateway/costControl/index.js';
import { EnvelopedGateway } from '../../gateway/envelop/host.js';
import { startMesh } from '../../gateway/mesh.js';
import { createGateway } from '../../gateway/server.js';
import { withEphemeralPorts } from './run.js';

const SMALL = '{ flights(first: 10) { nodes { id delay origin { iata name } } } }';
/** 200 fields: 40 aliased connections of five scalar fields each. */
const LARGE = `{ ${Array.from({ length: 40 }, (_, index) => `f${index}: flights(first: 1) { nodes { id delay distance date } totalCount }`).join(' ')} }`;

export interface CostBenchOptions {
  readonly config: MeshConfig;
  readonly logger: Logger;
  /** Requests per gateway per round; default 200. */
  readonly requests?: number;
  /** Rounds, alternating the gateways so drift hits both alike; default 3. */
  readonly rounds?: number;
}

/**
 * Measures cost estimation (cold and cached, for a small and a 200-field operation) and gateway
 * throughput with cost enforcement on and off in the same run, and returns a markdown section.
 * Expects a built data folder at `config.dataDir`.
 */
export async function costBenchmarkSection(options: CostBenchOptions): Promise<string> {
  const supergraphSdl = readFileSync(options.config.gateway.supergraphPath, 'utf8');
  const estimation = [measureEstimation('small (7 fields)', SMALL, supergraphSdl), measureEstimation('200 fields', LARGE, supergraphSdl)];
  const throughput = await measureThroughput(options, supergraphSdl);
  const slowdown = ((throughput.off - throughput.on) / throughput.off) * 100;
  return [
    '## Cost control',
    '',
    'Estimation time per operation in milliseconds: cold is a new estimator (parse, validate, estimate), cached the same text again.',
    '',
    '| operation | cold | cached |',
    '|---|---|---|',
    ...estimation.map((row) => `| ${row.name} | ${row.cold.toFixed(3)} | ${row.cached.toFixed(4)} |`),
    '',
    `Gateway throughput on the example query, sequential requests, ${options.rounds ?? 3} alternating rounds. Goal: enforcement under 3% slower.`,
    '',
    '| cost enforcement | requests per second |',
    '|---|---|',
    `| off | ${throughput.off.toFixed(1)} |`,
    `| on | ${throughput.on.toFixed(1)} |`,
    '',
    `With enforcement the gateway is ${slowdown.toFixed(1)}% slower (negative: faster, which is noise of the backends).`,
    '',
  ].join('\n');
}

function measureEstimation(name: string, query: string, supergraphSdl: string): { name: string; cold: number; cached: number } {
  const costSchema = loadCostSchema(supergraphSdl);
  const coldRuns = 20;
  let cold = 0;
  for (let run = 0; run < coldRuns; run += 1) {
    const estimator = createCostEstimator(costSchema);
    const started = performance.now();
    estimator.estimate(query);
    cold += performance.now() - started;
  }
  const estimator = createCostEstimator(costSchema);
  estimator.estimate(query);
  const cachedRuns = 10_000;
  const started = performance.now();
  for (let run = 0; run < cachedRuns; run += 1) estimator.estimate(query);
  return { name, cold: cold / coldRuns, cached: (performance.now() - started) / cachedRuns };
}

async function measureThroughput(options: CostBenchOptions, supergraphSdl: string): Promise<{ on: number; off: number }> {
  const config = withEphemeralPorts({ ...options.config, budget: { ...options.config.budget, maximum: 1e12, restoreRate: 1e12 } });
  const mesh = await startMesh(config, options.logger, { skipPipeline: true });
  const urls = new Map(mesh.services.filter((service) => service !== mesh.gateway).map((service) => [service.name, `${service.url}/graphql`]));
  const off = await startBenchGateway(config, options.logger, supergraphSdl, urls, false);
  const on = await startBenchGateway(config, options.logger, supergraphSdl, urls, true);
  const totals = { on: 0, off: 0 };
  try {
    for (let round = 0; round < (options.rounds ?? 3); round += 1) {
      totals.off += await requestsPerSecond(`${off.url}/graphql`, options.requests ?? 200);
      totals.on += await requestsPerSecond(`${on.url}/graphql`, options.requests ?? 200);
    }
  } finally {
    await on.close();
    await off.close();
    await mesh.close();
  }
  const rounds = options.rounds ?? 3;
  return { on: totals.on / rounds, off: totals.off / rounds };
}

// NOTE: the gateway with enforcement runs the plugin only; the per-subgraph hooks join it once
// `createGateway` installs them.
async function startBenchGateway(config: MeshConfig, logger: Logger, supergraphSdl: string, urls: Map<string, string>, enforce: boolean): Promise<ServiceHandle> {
  const control = createCostControl({ config, supergraphSdl, logger, defaultMetrics: false });
  const plugins = enforce ? [useCostControl({ runtime: control.runtime, limits: config.limits, estimator: control.estimator })] : [];
  const apollo = new ApolloServer<RequestContext>({ gateway: new EnvelopedGateway(createGateway(config, logger, supergraphSdl, urls), plugins), logger });
  return startService({ name: enforce ? 'gateway-cost-on' : 'gateway-cost-off', host: '127.0.0.1', port: 0, apollo, logger });
}

async function requestsPerSecond(url: string, requests: number): Promise<number> {
  const body = JSON.stringify({ query: SMALL });
  const send = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((response) => response.text());
  for (let warmup = 0; warmup < 10; warmup += 1) await send();
  const started = performance.now();
  for (let request = 0; request < requests; request += 1) await send();
  return requests / ((performance.now() - started) / 1000);
}
