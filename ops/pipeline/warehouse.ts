import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { DuckDbBackend } from '../../subgraphs/kit/duckdb.js';
import { quoteLiteral } from '../../subgraphs/kit/sql/statement.js';
import { datasetReader, readManifest } from '../../subgraphs/lake/manifest.js';
import { WAREHOUSE_DATABASE_FILE } from '../../subgraphs/warehouse/index.js';
import type { ProgressReporter } from './progress.js';
import { SOURCE_FILES, vegaDatasetPath } from './sources.js';


/** Statements that build the curated tables; `{lake_flights}` is replaced by the lake's reader. */
const TABLES: ReadonlyArray<{ name: string; statements: (sources: Record<string, string>) => string[] }> = [
  {
    name: 'airports',
    statements: ({ airports }) => [
      'CREATE TABLE wh.airports (iata VARCHAR PRIMARY KEY, name VARCHAR, city VARCHAR, state VARCHAR, country VARCHAR, latitude DOUBLE, longitude DOUBLE)',
      `INSERT INTO wh.airports SELECT * FROM read_csv(${airports}, header = true, auto_detect = false, ` +
        "columns = {'iata': 'VARCHAR', 'name': 'VARCHAR', 'city': 'VARCHAR', 'state': 'VARCHAR', 'country': 'VARCHAR', 'latitude': 'DOUBLE', 'longitude': 'DOUBLE'})",
    ],
  },
  {
    name: 'routes',
    statements: ({ routes }) => [
      'CREATE TABLE wh.routes (origin VARCHAR, destination VARCHAR, flights INTEGER NOT NULL, PRIMARY KEY (origin, destination))',
      `INSERT INTO wh.routes SELECT * FROM read_csv(${routes}, header = true, auto_detect = false, ` +
        "columns = {'origin': 'VARCHAR', 'destination': 'VARCHAR', 'count': 'INTEGER'})",
    ],
  },
  {
    // The curated aggregate built from the lake (ELT): departures and delays per airport and day.
    name: 'daily_airport_delay',
    statements: ({ flights }) => [
      'CREATE TABLE wh.daily_airport_delay (iata VARCHAR, date DATE, flights INTEGER NOT NULL, delayed_flights INTEGER NOT NULL, ' +
        'avg_delay DOUBLE, max_delay INTEGER, PRIMARY KEY (iata, date))',
      'INSERT INTO wh.daily_airport_delay SELECT origin, CAST(date AS DATE), count(*), count(*) FILTER (WHERE delay > 15), avg(delay), max(delay) ' +
        `FROM ${flights} GROUP BY ALL ORDER BY 1, 2`,
    ],
  },
];

/**
 * Builds the warehouse database file from the vega-datasets sources and the lake. It is written to a
 * temporary file and renamed over the previous one only when every table is complete, so an
 * interrupted run leaves the previous warehouse in use.
 */
export async function buildWarehouse(duckdb: DuckDbBackend, dataDir: string, lakeDir: string, progress: ProgressReporter): Promise<Record<string, number>> {
  const target = path.join(dataDir, WAREHOUSE_DATABASE_FILE);
  const temporary = `${target}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  rmSync(`${temporary}.wal`, { force: true });

  const flightsDir = path.join(lakeDir, 'flights');
  const sources = {
    airports: quoteLiteral(vegaDatasetPath(SOURCE_FILES.airports)),
    routes: quoteLiteral(vegaDatasetPath(SOURCE_FILES.routes)),
    flights: datasetReader(flightsDir, readManifest(flightsDir)),
  };

  const bar = progress.start('warehouse', TABLES.length, 'tables');
  const counts: Record<string, number> = {};
  await duckdb.query({ sql: `ATTACH ${quoteLiteral(temporary)} AS wh`, params: [] });
  try {
    for (const table of TABLES) {
      for (const sql of table.statements(sources)) await duckdb.query({ sql, params: [] });
      const rows = await duckdb.query({ sql: `SELECT count(*) AS rows FROM wh.${table.name}`, params: [] });
      counts[table.name] = Number(rows[0].rows);
      bar.increment(1, `${table.name} (${counts[table.name]} rows)`);
    }
    await duckdb.query({ sql: 'CHECKPOINT wh', params: [] });
  } finally {
    await duckdb.query({ sql: 'DETACH wh', params: [] });
    bar.stop();
  }

  renameSync(temporary, target);
  if (existsSync(`${temporary}.wal`)) rmSync(`${temporary}.wal`);
  return counts;
}
