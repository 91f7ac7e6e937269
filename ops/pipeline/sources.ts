import { statSync } from 'node:fs';
import path from 'node:path';

/** Source files of the embedded mesh, shipped by the `vega-datasets` npm package. */
export function vegaDatasetPath(file: string): string {
  // The package exports only its build entry point, which lives in `build/` beside `data/`.
  const entryPoint = require.resolve('vega-datasets');
  return path.join(path.dirname(entryPoint), '..', 'data', file);
}

export const SOURCE_FILES = {
  flights: 'flights-3m.parquet',
  birdstrikes: 'birdstrikes.csv',
  airports: 'airports.csv',
  routes: 'flights-airport.csv',
} as const;

/** Size and modification time of each source, so a changed source makes the data folder stale. */
export function sourceFingerprint(): Record<string, { size: number; mtimeMs: number }> {
  const result: Record<string, { size: number; mtimeMs: number }> = {};
  for (const file of Object.values(SOURCE_FILES)) {
    const stats = statSync(vegaDatasetPath(file));
    result[file] = { size: stats.size, mtimeMs: Math.trunc(stats.mtimeMs) };
  }
  return result;
}
