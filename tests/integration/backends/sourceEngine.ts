import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Row } from '../../../subgraphs/kit/backend.js';
import { DuckDbBackend } from '../../../subgraphs/kit/duckdb.js';
import { createLogger } from '../../../core/logger.js';
import { buildBirdstrikes, buildFlights } from '../../../ops/pipeline/lake.js';
import { datasetReader, listDatasets, readManifest } from '../../../subgraphs/lake/manifest.js';
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
 * Builds the lake datasets and the warehouse database file into `dataDir` with the real pipeline
 * steps, which is what a team would load into a warehouse service. Returns the database file.
 */
export async function buildWarehouseData(dataDir: string): Promise<string> {
  const logger = createLogger({ level: 'silent' });
  const lakeDir = lakeDirectory(dataDir);
  mkdirSync(lakeDir, { recursive: true });
  const progress = createProgressReporter(logger, false);
  const duckdb = await DuckDbBackend.open({ path: ':memory:', connections: 1, logger });
  try {
    await buildFlights(duckdb, lakeDir, progress);
    await buildBirdstrikes(duckdb, lakeDir, progress);
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

  /**
   * Opens an engine over the lake's datasets, each a view named like the dataset, as BigQuery
   * external tables over the same files would be. The tables `bq_table_options` and `bq_columns`
   * stand in for the dataset's INFORMATION_SCHEMA views: the `format` option of each table and
   * its columns, the Hive partition columns marked as partitioning columns.
   */
  static overLake(lakeDir: string): Promise<SourceEngine> {
    return SourceEngine.open(async (engine) => {
      await engine.run('CREATE TABLE bq_table_options (table_name VARCHAR, option_name VARCHAR, option_value VARCHAR)', []);
      await engine.run('CREATE TABLE bq_columns (table_name VARCHAR, column_name VARCHAR, ordinal_position INTEGER, is_partitioning_column VARCHAR)', []);
      for (const name of listDatasets(lakeDir)) {
        const dir = path.join(lakeDir, name);
        const manifest = readManifest(dir);
        await engine.run(`CREATE VIEW "${manifest.name}" AS SELECT * FROM ${datasetReader(dir, manifest)}`, []);
        await engine.run(`INSERT INTO bq_table_options VALUES ($1, 'format', $2)`, [manifest.name, `"${manifest.format.toUpperCase()}"`]);
        const partitions = new Set(manifest.partitions.map((partition) => partition.column));
        const columns = (await engine.run(`DESCRIBE "${manifest.name}"`, [])).rows;
        for (const [index, column] of columns.entries()) {
          const partitioning = partitions.has(String(column.column_name)) ? 'YES' : 'NO';
          await engine.run('INSERT INTO bq_columns VALUES ($1, $2, $3, $4)', [manifest.name, column.column_name, index + 1, partitioning]);
        }
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
