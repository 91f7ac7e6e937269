import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { quoteLiteral } from '../kit/sql/statement.js';
import type { PartitionRule } from '../kit/sql/table.js';

/** File name of a dataset's manifest inside its folder. */
export const MANIFEST_FILE = '_dataset.json';

const column = z.object({ name: z.string().min(1), type: z.string().min(1) }).strict();

/** Functions a partition column may be derived by; each never decreases as its input grows. */
const PARTITION_FUNCTIONS = {
  /** `2001-03-15 10:00` → `2001-03`. */
  year_month: (input: string) => `strftime(${input}, '%Y-%m')`,
} as const;

const partition = z
  .object({
    column: z.string().min(1),
    derivedFrom: z.object({ column: z.string().min(1), function: z.enum(['year_month']) }).strict().optional(),
  })
  .strict();

/**
 * A dataset's manifest: its format, where the files of its current version are, and its pinned
 * schema. Readers follow `version`, and a new version becomes current only when the manifest that
 * names it is renamed into place, so a reader never sees a half-written dataset.
 */
export const manifestSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'a lower-case name of letters, digits and _'),
    format: z.enum(['parquet', 'csv', 'json']),
    /** Sub-folder holding the files of the current version. */
    version: z.string().min(1),
    /** Glob of the data files relative to the version folder, for example `month=*\/*.parquet`. */
    files: z.string().min(1),
    /** The pinned schema: every column with its DuckDB type. CSV and JSON are read with these types, never sniffed. */
    columns: z.array(column).min(1),
    partitions: z.array(partition).default([]),
    rowCount: z.number().int().min(0),
    source: z.string().optional(),
    createdAt: z.string(),
  })
  .strict();

export type DatasetManifest = z.infer<typeof manifestSchema>;

/** Reads and validates the manifest of the dataset folder `dir`. */
export function readManifest(dir: string): DatasetManifest {
  const file = path.join(dir, MANIFEST_FILE);
  const result = manifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid dataset manifest ${file}: ${issues}`);
  }
  return result.data;
}

/** Writes a manifest atomically: to a temporary file, then renamed over the current one. */
export function publishManifest(dir: string, manifest: DatasetManifest): void {
  const file = path.join(dir, MANIFEST_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(manifestSchema.parse(manifest), null, 2)}\n`);
  renameSync(temporary, file);
}

/** Names of the dataset folders of a lake directory, in name order. */
export function listDatasets(lakeDir: string): string[] {
  if (!existsSync(lakeDir)) return [];
  return readdirSync(lakeDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(lakeDir, entry.name, MANIFEST_FILE)))
    .map((entry) => entry.name)
    .sort();
}

/** The DuckDB table function that reads the dataset's current files with its pinned schema. */
export function datasetReader(dir: string, manifest: DatasetManifest): string {
  const files = quoteLiteral(path.join(dir, manifest.version, manifest.files));
  const columns = `{${manifest.columns.map((entry) => `${quoteLiteral(entry.name)}: ${quoteLiteral(entry.type)}`).join(', ')}}`;
  const hive = manifest.partitions.length
    ? `, hive_partitioning = true, hive_types = {${manifest.partitions.map((entry) => `${quoteLiteral(entry.column)}: 'VARCHAR'`).join(', ')}}`
    : '';
  switch (manifest.format) {
    case 'parquet':
      return `read_parquet(${files}${hive})`;
    case 'csv':
      return `read_csv(${files}, columns = ${columns}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"'${hive})`;
    case 'json':
      return `read_json(${files}, columns = ${columns}, format = 'newline_delimited'${hive})`;
  }
}

/** Partition rules the SQL builder uses to prune partitions from filters on the source columns. */
export function partitionRules(manifest: DatasetManifest): PartitionRule[] {
  return manifest.partitions.flatMap((entry) => {
    if (!entry.derivedFrom) return [];
    const derive = PARTITION_FUNCTIONS[entry.derivedFrom.function];
    return [{ partitionColumn: entry.column, sourceColumn: entry.derivedFrom.column, derive }];
  });
}

/** The SQL of a partition function, for pipelines that write partitioned datasets. */
export function partitionExpression(fn: keyof typeof PARTITION_FUNCTIONS, input: string): string {
  return PARTITION_FUNCTIONS[fn](input);
}
