import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Row } from '../../../subgraphs/kit/backend.js';
import { DuckDbBackend } from '../../../subgraphs/kit/duckdb.js';
import { createLogger } from '../../../core/logger.js';
import { buildFlights } from '../../../ops/pipeline/lake.js';
import { createProgressReporter } from '../../../ops/pipeline/progress.js';
import { buildWarehouse } from '../../../ops/pipeline/warehouse.js';
import { lakeDirectory } from '../../../ops/pipeline/index.js';

/** A result column with DuckDB's name of its type, such as `DECIMAL(18,3)` or `HUGEINT`. */
export interface SourceColumn {
  readonly name: string;
  readonly type: string;
}

/** A statement's result in DuckDB's JSON row form. */
export interface SourceResult {
  readonly columns: readonly SourceColumn[];
  readonly rows: readonly Row[];
}

/**
 * Builds the flights dataset and the warehouse database file into `dataDir` with the real pipeline
 * steps, which is what a team would load into a warehouse service.
 */
export async function buildWarehouseData(dataDir: string): Promise<string> {
  const logger = createLogger({ level: 'silent' });
  const lakeDir = lakeDirectory(dataDir);
  mkdirSync(lakeDir, { recursive: true });
  const progress = createProgressReporter(logger, false);
  const duckdb = await DuckDbBackend.open({ path: ':memory:', connections: 1, logger });
  try {
    await buildFlights(duckdb, lakeDir, progress);
    await buildWarehouse(duckdb, dataDir, lakeDir, progress);
  } finally {
    progress.close();
    await duckdb.close();
  }
  return path.join(dataDir, 'warehouse.duckdb');
}

/**
 * The engine behind a fake warehouse service: runs the SQL a backend sends, once the fake has
 * rewritten it into DuckDB's dialect, on views over the embedded mesh's data.
 */
export class SourceEngine {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** Opens an in-memory DuckDB in UTC and runs `setup` on it, for example to create views. */
  static async open(setup: (engine: SourceEngine) => Promise<void>): Promise<SourceEngine> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    const engine = new SourceEngine(instance, connection);
    await setup(engine);
    return engine;
  }

  /**
   * Opens an engine over the tables of a warehouse database file, attached read-only. With
   * `upperCaseNames`, each table is seen through a view whose table and column names are
   * upper-case, as Snowflake stores tables created with unquoted names.
   */
  static overWarehouse(databaseFile: string, options: { upperCaseNames?: boolean } = {}): Promise<SourceEngine> {
    return SourceEngine.open(async (engine) => {
      await engine.run(`ATTACH '${databaseFile.replace(/'/g, "''")}' AS source (READ_ONLY)`, []);
      const columns = (await engine.run("SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = 'source' ORDER BY table_name, column_index", []))
        .rows as Array<{ table_name: string; column_name: string }>;
      const rename = (name: string) => (options.upperCaseNames ? name.toUpperCase() : name);
      for (const table of new Set(columns.map((column) => column.table_name))) {
        const list = columns.filter((column) => column.table_name === table).map((column) => `"${column.column_name}" AS "${rename(column.column_name)}"`);
        await engine.run(`CREATE VIEW "${rename(table)}" AS SELECT ${list.join(', ')} FROM source."${table}"`, []);
      }
    });
  }

  async run(sql: string, params: readonly unknown[]): Promise<SourceResult> {
    const reader = await this.connection.runAndReadAll(sql, params as never);
    const names = reader.columnNames();
    const types = reader.columnTypes().map((type) => type.toString());
    return { columns: names.map((name, i) => ({ name, type: types[i] })), rows: reader.getRowObjectsJson() as Row[] };
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
export function epochDays(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 86_400_000;
}
