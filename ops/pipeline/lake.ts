import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { DuckDbBackend } from '../../subgraphs/kit/duckdb.js';
import { duckDbDialect } from '../../subgraphs/kit/sql/dialect.js';
import { quoteLiteral } from '../../subgraphs/kit/sql/statement.js';
import {
  datasetReader,
  MANIFEST_FILE,
  partitionExpression,
  publishManifest,
  readManifest,
  type DatasetManifest,
} from '../../subgraphs/lake/manifest.js';
import type { ProgressReporter } from './progress.js';
import { SOURCE_FILES, vegaDatasetPath } from './sources.js';

/** Pinned schema of the flights dataset; delays and distances fit 32-bit integers. */
const FLIGHT_COLUMNS = [
  { name: 'id', type: 'BIGINT' },
  { name: 'date', type: 'TIMESTAMP' },
  { name: 'delay', type: 'INTEGER' },
  { name: 'distance', type: 'INTEGER' },
  { name: 'origin', type: 'VARCHAR' },
  { name: 'destination', type: 'VARCHAR' },
];

/** Pinned schema of the bird-strike incidents; the source's own column names are kept. */
export const BIRDSTRIKE_COLUMNS = [
  { name: 'id', type: 'INTEGER' },
  { name: 'Airport Name', type: 'VARCHAR' },
  { name: 'Aircraft Make Model', type: 'VARCHAR' },
  { name: 'Effect Amount of damage', type: 'VARCHAR' },
  { name: 'Flight Date', type: 'DATE' },
  { name: 'Aircraft Airline Operator', type: 'VARCHAR' },
  { name: 'Origin State', type: 'VARCHAR' },
  { name: 'Phase of flight', type: 'VARCHAR' },
  { name: 'Wildlife Size', type: 'VARCHAR' },
  { name: 'Wildlife Species', type: 'VARCHAR' },
  { name: 'Time of day', type: 'VARCHAR' },
  { name: 'Cost Other', type: 'BIGINT' },
  { name: 'Cost Repair', type: 'BIGINT' },
  { name: 'Cost Total $', type: 'BIGINT' },
  { name: 'Speed IAS in knots', type: 'INTEGER' },
];

function newVersion(): string {
  return `v${new Date().toISOString().replace(/[-:.TZ]/g, '')}-${process.pid}`;
}

/**
 * Removes version folders older than the previous one, left by earlier or interrupted runs. The
 * previous version stays, because a running lake subgraph may still read it until it restarts.
 */
function removeOldVersions(dir: string, current: string, previous: string | undefined): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const keep = entry.name === current || entry.name === previous;
    if (entry.isDirectory() && !keep) rmSync(path.join(dir, entry.name), { recursive: true, force: true });
  }
}

function currentVersion(dir: string): string | undefined {
  return existsSync(path.join(dir, MANIFEST_FILE)) ? readManifest(dir).version : undefined;
}

/**
 * Builds the flights dataset: `flights-3m.parquet` into monthly Hive partitions (`month=2001-01`),
 * each sorted by date so row-group statistics skip most of a month for narrow date filters. `id` is
 * the row's position in the source file, from 1, so it is stable across rebuilds.
 */
export async function buildFlights(duckdb: DuckDbBackend, lakeDir: string, progress: ProgressReporter): Promise<number> {
  const dir = path.join(lakeDir, 'flights');
  const version = newVersion();
  const source = quoteLiteral(vegaDatasetPath(SOURCE_FILES.flights));
  const month = partitionExpression('year_month', 'date');
  const months = await duckdb.query({ sql: `SELECT ${month} AS month, count(*) AS rows FROM read_parquet(${source}) GROUP BY 1 ORDER BY 1`, params: [] });
  const total = months.reduce((sum, row) => sum + Number(row.rows), 0);

  const bar = progress.start('lake: flights', total, 'rows');
  for (const row of months) {
    const target = path.join(dir, version, `month=${String(row.month)}`);
    mkdirSync(target, { recursive: true });
    const select =
      `SELECT CAST(file_row_number + 1 AS BIGINT) AS id, date, CAST(delay AS INTEGER) AS delay, CAST(distance AS INTEGER) AS distance, origin, destination ` +
      `FROM read_parquet(${source}, file_row_number = true) WHERE ${month} = $1 ORDER BY date, id`;
    await duckdb.query({
      sql: `COPY (${select}) TO ${quoteLiteral(path.join(target, 'data.parquet'))} (FORMAT parquet, COMPRESSION zstd)`,
      params: [row.month],
    });
    bar.increment(Number(row.rows), String(row.month));
  }
  bar.stop();

  const manifest: DatasetManifest = {
    name: 'flights',
    format: 'parquet',
    version,
    files: 'month=*/*.parquet',
    columns: FLIGHT_COLUMNS,
    partitions: [{ column: 'month', derivedFrom: { column: 'date', function: 'year_month' } }],
    rowCount: total,
    source: `vega-datasets/${SOURCE_FILES.flights}`,
    createdAt: new Date().toISOString(),
  };
  await checkDataset(duckdb, dir, manifest);
  const previous = currentVersion(dir);
  publishManifest(dir, manifest);
  removeOldVersions(dir, version, previous);
  return total;
}

/**
 * Builds the bird-strike dataset as CSV with a pinned schema. The source is read as text so that no
 * value is altered, a row number `id` is added, and the result is read back with the pinned types
 * before it is published: a value that does not fit fails the run with its file, line and column.
 */
export async function buildBirdstrikes(duckdb: DuckDbBackend, lakeDir: string, progress: ProgressReporter): Promise<number> {
  const dir = path.join(lakeDir, 'birdstrikes');
  const version = newVersion();
  mkdirSync(path.join(dir, version), { recursive: true });
  const bar = progress.start('lake: birdstrikes', 1, 'files');

  const source = quoteLiteral(vegaDatasetPath(SOURCE_FILES.birdstrikes));
  const text = `read_csv(${source}, all_varchar = true, header = true, auto_detect = true)`;
  const target = quoteLiteral(path.join(dir, version, 'birdstrikes.csv'));
  await duckdb.query({ sql: `COPY (SELECT row_number() OVER () AS id, * FROM ${text}) TO ${target} (FORMAT csv, HEADER true)`, params: [] });
  bar.increment(1, 'birdstrikes.csv');
  bar.stop();

  const manifest: DatasetManifest = {
    name: 'birdstrikes',
    format: 'csv',
    version,
    files: '*.csv',
    columns: BIRDSTRIKE_COLUMNS,
    partitions: [],
    rowCount: 0,
    source: `vega-datasets/${SOURCE_FILES.birdstrikes}`,
    createdAt: new Date().toISOString(),
  };
  manifest.rowCount = await checkDataset(duckdb, dir, manifest);
  const previous = currentVersion(dir);
  publishManifest(dir, manifest);
  removeOldVersions(dir, version, previous);
  return manifest.rowCount;
}

/**
 * Reads a dataset version completely with its pinned schema and returns its row count. Every column is
 * aggregated, because DuckDB skips converting columns that a query does not use.
 */
export async function checkDataset(duckdb: DuckDbBackend, dir: string, manifest: DatasetManifest): Promise<number> {
  const counts = manifest.columns.map((column, i) => `count(${duckDbDialect.quoteIdentifier(column.name)}) AS c${i}`);
  const rows = await duckdb.query({ sql: `SELECT count(*) AS rows, ${counts.join(', ')} FROM ${datasetReader(dir, manifest)}`, params: [] });
  return Number(rows[0].rows);
}
