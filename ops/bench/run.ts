import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { MeshConfig } from '../../core/config/index.js';
import { createLogger, type Logger } from '../../core/logger.js';
import { startMesh } from '../../gateway/mesh.js';
import { openLake, type Lake } from '../../subgraphs/lake/index.js';
import { runPipeline } from '../pipeline/index.js';
import { measureColdStarts } from './coldStart.js';
import { costBenchmarkSection } from './cost.js';
import { inferenceBenchmarkSection } from './inference.js';
import { searchBenchmarkSection } from './search.js';
import { measureMasking } from './masking.js';
import { HUNDRED_AIRPORTS_QUERY, measureEntityBatching, type BatchingResult } from './entityBatching.js';
import { measureGatewayOverhead, type OverheadResult } from './gatewayOverhead.js';

export interface BenchmarkOptions {
  readonly config: MeshConfig;
  readonly logger: Logger;
  readonly iterations: number;
  /** Markdown page the results are written to. */
  readonly output: string;
}

/** Runs every benchmark against the embedded mesh on ephemeral ports and writes a markdown page. */
export async function runBenchmarks(options: BenchmarkOptions): Promise<void> {
  const { config, logger } = options;
  await runPipeline({ dataDir: config.dataDir, logger });
  const quiet = createLogger({ level: 'warn' });
  // The benchmark loops would drain a caller's cost budget, so they run with one that never throttles.
  const portless = withEphemeralPorts({ ...config, budget: { ...config.budget, maximum: 1e12, restoreRate: 1e12 } });

  const mesh = await startMesh(portless, quiet, { skipPipeline: true });
  let lake: Lake | undefined;
  try {
    lake = await openLake({ ...config, lake: { backend: { kind: 'duckdb' } } }, quiet);
    const gatewayUrl = `${mesh.gateway.url}/graphql`;
    const warehouseUrl = mesh.services.find((service) => service.name === 'warehouse')?.url as string;
    const overhead = await measureGatewayOverhead(gatewayUrl, lake, options.iterations, logger);
    const batching = await measureEntityBatching(gatewayUrl, warehouseUrl, options.iterations);
    const masking = await measureMasking({
      gatewayUrl,
      dataDir: config.dataDir,
      supergraphSdl: readFileSync(config.gateway.supergraphPath, 'utf8'),
      policiesDir: config.governance.policiesDir,
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      iterations: options.iterations * 10,
    });
    const inference = await inferenceBenchmarkSection({
      gatewayUrl,
      inferenceUrl: mesh.services.find((service) => service.name === 'inference')?.url as string,
      dataDir: config.dataDir,
      iterations: options.iterations,
    });
    await mesh.close();
    const cost = await costBenchmarkSection({ config: portless, logger: quiet });
    const search = await searchBenchmarkSection({ config: portless, logger: quiet });
    const starts = await measureColdStarts(Object.keys(config.subgraphs));
    const sections = [report(overhead, batching, starts, options.iterations), masking, cost, inference, search];
    writeFileSync(options.output, `${sections.join('\n\n').trim()}\n`);
  } finally {
    await lake?.backend.close();
    await mesh.close();
  }
}

/** The same configuration with every service on port 0, so benchmarks never collide with a running mesh. */
export function withEphemeralPorts(config: MeshConfig): MeshConfig {
  const subgraphs = Object.fromEntries(Object.entries(config.subgraphs).map(([name, service]) => [name, { ...service, port: 0 }]));
  return { ...config, gateway: { ...config.gateway, port: 0 }, subgraphs: subgraphs as MeshConfig['subgraphs'] };
}

function report(overhead: OverheadResult[], batching: BatchingResult, starts: { withoutData: number; withData: number }, iterations: number): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${os.cpus().length} × ${cpu}, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB. Each query ran ${iterations} times after 3 untimed runs; times are in milliseconds.`,
    '',
    '## Gateway against DuckDB on the three million flights',
    '',
    'The same SQL statements the lake runs for the query, run directly on a separate DuckDB instance in the same process. Goal: ratio under 1.3.',
    '',
    '| query | gateway p50 | gateway p95 | DuckDB p50 | DuckDB p95 | ratio (p50) | statements |',
    '|---|---|---|---|---|---|---|',
    ...overhead.map(
      (result) =>
        `| ${result.name} | ${result.gateway.p50} | ${result.gateway.p95} | ${result.duckdb.p50} | ${result.duckdb.p95} | ${result.ratio} | ${result.statements.length} |`,
    ),
    '',
    ...overhead.flatMap((result) => [`\`${result.name}\`: \`${result.query}\``, '']),
    '## 100 airports resolved from lake rows',
    '',
    `\`${HUNDRED_AIRPORTS_QUERY}\``,
    '',
    '| airports resolved | warehouse statements per request | p50 | p95 |',
    '|---|---|---|---|',
    `| ${batching.airportsResolved} | ${batching.warehouseStatementsPerRequest} | ${batching.latency.p50} | ${batching.latency.p95} |`,
    '',
    'Goal: one warehouse statement per entity type per request.',
    '',
    '## Cold start to ready',
    '',
    'Seconds from spawning `meshgate start` until the gateway answers `/readyz` with 200.',
    '',
    '| data folder | seconds |',
    '|---|---|',
    `| missing (pipeline runs first) | ${starts.withoutData} |`,
    `| built | ${starts.withData} |`,
    '',
  ];
  return lines.join('\n');
}
