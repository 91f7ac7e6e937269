import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { SqlBackend } from '../kit/backend.js';
import { datasetReader, type DatasetManifest } from './manifest.js';

/** A dataset as the `datasets` query returns it. */
export interface DatasetEntry {
  readonly name: string;
  readonly format: string;
  readonly partitions: readonly string[];
  readonly partitionCount: number;
  readonly rowCount: string;
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
}

/** Lists the lake's datasets with their format, partitions, row count and columns. */
export type DatasetCatalog = () => Promise<DatasetEntry[]>;

/** Returns the catalog of the embedded lake: the manifests of the dataset folders, with row counts from DuckDB. */
export function manifestCatalog(backend: SqlBackend, datasets: ReadonlyMap<string, { dir: string; manifest: DatasetManifest }>): DatasetCatalog {
  return async () => {
    const result: DatasetEntry[] = [];
    for (const { dir, manifest } of datasets.values()) {
      const rows = await backend.query({ sql: `SELECT count(*) AS rows FROM ${datasetReader(dir, manifest)}`, params: [] });
      result.push({
        name: manifest.name,
        format: manifest.format,
        partitions: manifest.partitions.map((partition) => partition.column),
        partitionCount: manifest.partitions.length ? countPartitionFolders(path.join(dir, manifest.version)) : 0,
        rowCount: String(rows[0].rows),
        columns: manifest.columns,
      });
    }
    return result;
  };
}

function countPartitionFolders(versionDir: string): number {
  return readdirSync(versionDir, { withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name.includes('=')).length;
}

/**
 * Returns the catalog of a lake on BigQuery external or BigLake tables, read from the dataset's
 * INFORMATION_SCHEMA: the `format` table option, the Hive partitioning columns, the number of
 * distinct partition values, and the row count and column types of each table.
 */
export function bigQueryCatalog(backend: SqlBackend, dataset: readonly [project: string, dataset: string], names: readonly string[]): DatasetCatalog {
  const quote = (name: string) => backend.dialect.quoteIdentifier(name);
  const schema = `${quote(dataset[0])}.${quote(dataset[1])}.INFORMATION_SCHEMA`;
  const relation = (name: string) => `${quote(dataset[0])}.${quote(dataset[1])}.${quote(name)}`;
  const tableName = backend.dialect.parameter(1, backend.dialect.textType);

  return async () => {
    const result: DatasetEntry[] = [];
    for (const name of names) {
      const options = await backend.query({
        sql: `SELECT option_value FROM ${schema}.TABLE_OPTIONS WHERE table_name = ${tableName} AND option_name = 'format'`,
        params: [name],
      });
      const partitionColumns = await backend.query({
        sql: `SELECT column_name FROM ${schema}.COLUMNS WHERE table_name = ${tableName} AND is_partitioning_column = 'YES' ORDER BY ordinal_position`,
        params: [name],
      });
      const partitions = partitionColumns.map((row) => String(row.column_name));
      const rows = await backend.query({ sql: `SELECT count(*) AS row_count FROM ${relation(name)}`, params: [] });
      const partitionValues = partitions.length
        ? await backend.query({ sql: `SELECT count(*) AS partition_count FROM (SELECT DISTINCT ${partitions.map(quote).join(', ')} FROM ${relation(name)})`, params: [] })
        : [{ partition_count: 0 }];
      const columns = await backend.describe(relation(name));
      result.push({
        name,
        format: options.length ? String(options[0].option_value).replace(/"/g, '').toLowerCase() : 'bigquery',
        partitions,
        partitionCount: Number(partitionValues[0].partition_count),
        rowCount: String(rows[0].row_count),
        columns: [...columns].map(([column, type]) => ({ name: column, type })),
      });
    }
    return result;
  };
}
