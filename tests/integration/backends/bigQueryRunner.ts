/**
 * Opens a BigQueryBackend from a configuration, runs a list of operations on it and prints, as one
 * JSON line, what each returned or threw, with the backend's log lines.
 *
 * The BigQuery tests run it in a child process for two reasons. `@google-cloud/bigquery` 8 sends
 * requests through teeny-request 10, which loads node-fetch 3 with a dynamic `import()`, and Jest's
 * module VM rejects that without `--experimental-vm-modules`. And a child process can run in
 * another TZ, which Jest does not pass on to a running process.
 */
import { Writable } from 'node:stream';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, GraphQLError } from 'graphql';
import { bigQueryBackendSchema, type BigQueryBackendConfig } from '../../../core/config/sections/bigquery.js';
import { createLogger } from '../../../core/logger.js';
import { openBigQueryBackend, type BigQueryBackend } from '../../../subgraphs/kit/backends/bigquery.js';
import { createDataProduct } from '../../../subgraphs/kit/engine.js';
import type { Statement } from '../../../subgraphs/kit/sql/statement.js';

/** One operation of the backend. */
export type RunnerStep =
  | { readonly operation: 'query'; readonly statement: Statement }
  | { readonly operation: 'dryRun'; readonly statement: Statement }
  | { readonly operation: 'describe'; readonly from: string }
  /** Builds a data product from `sdl` on the backend, its tables in the configured dataset, and executes `query`. */
  | { readonly operation: 'graphql'; readonly sdl: string; readonly query: string };

/** The input, given as JSON in the first argument. */
export interface RunnerScript {
  /** The backend's configuration before validation, as a configuration file would hold it. */
  readonly config: Record<string, unknown>;
  readonly steps: readonly RunnerStep[];
}

/** What one operation returned, or the error it threw, and how long it took. */
export interface StepOutcome {
  readonly rows?: Array<Record<string, unknown>>;
  /** A dry run's bytes as decimal text, with the JavaScript type the backend returned them in. */
  readonly bytes?: string;
  readonly bytesType?: string;
  readonly columns?: Array<[string, string]>;
  /** The `data` of a GraphQL step, or its errors' messages. */
  readonly data?: unknown;
  readonly errors?: string[];
  readonly error?: { readonly message: string; readonly code?: unknown; readonly reason?: unknown };
  readonly ms: number;
}

/** The printed report. */
export interface RunnerReport {
  /** This process's UTC offset on 2001-01-01, in minutes as `Date.getTimezoneOffset` counts them. */
  readonly offsetMinutes: number;
  readonly openError?: string;
  readonly outcomes: StepOutcome[];
  readonly statementsRun?: number;
  /** SQL of the statements the `onStatement` listener received, in order. */
  readonly announced: string[];
  readonly logs: Array<Record<string, unknown>>;
}

async function runStep(backend: BigQueryBackend, step: RunnerStep, config: BigQueryBackendConfig): Promise<Omit<StepOutcome, 'ms'>> {
  switch (step.operation) {
    case 'graphql': {
      const relation = (table: string) => [config.projectId, config.dataset, table].map((name) => backend.dialect.quoteIdentifier(name)).join('.');
      const product = await createDataProduct({ sdl: step.sdl, backendKind: 'warehouse', backend, relation, pagination: { defaultPageSize: 10, maxPageSize: 100 } });
      const schema = buildSubgraphSchema([{ typeDefs: product.typeDefs, resolvers: product.resolvers }]);
      const result = await graphql({ schema, source: step.query, contextValue: {} });
      return { data: result.data, errors: result.errors?.map((error) => error.message) };
    }
    case 'query':
      return { rows: await backend.query(step.statement) };
    case 'dryRun': {
      const bytes = await backend.dryRun(step.statement);
      return { bytes: String(bytes), bytesType: typeof bytes };
    }
    case 'describe':
      return { columns: [...(await backend.describe(step.from))] };
  }
}

function describeError(error: unknown): StepOutcome['error'] {
  if (error instanceof GraphQLError) {
    return { message: error.message, code: error.extensions.code, reason: error.extensions.reason };
  }
  return { message: (error as Error).message };
}

async function main(): Promise<void> {
  const script = JSON.parse(process.argv[2]) as RunnerScript;
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
      callback();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  const report: RunnerReport = { offsetMinutes: new Date(Date.UTC(2001, 0, 1)).getTimezoneOffset(), outcomes: [], announced: [], logs: [] };

  try {
    const config = bigQueryBackendSchema.parse(script.config);
    const backend = await openBigQueryBackend(config, logger);
    backend.onStatement((statement) => report.announced.push(statement.sql));
    for (const step of script.steps) {
      const started = performance.now();
      const outcome = await runStep(backend, step, config).catch((error: unknown) => ({ error: describeError(error) }));
      report.outcomes.push({ ...outcome, ms: Math.round(performance.now() - started) });
    }
    await backend.close();
    Object.assign(report, { statementsRun: backend.statementsRun });
  } catch (error) {
    Object.assign(report, { openError: (error as Error).message });
  }

  report.logs.push(...lines.map((line) => JSON.parse(line) as Record<string, unknown>));
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

void main();
