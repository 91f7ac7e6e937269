import path from 'node:path';
import type { DuckDbBackend } from '../../kit/duckdb.js';
import { quoteLiteral } from '../../kit/sql/statement.js';
import { datasetReader, readManifest } from '../../lake/manifest.js';
import { WAREHOUSE_DATABASE_FILE } from '../../warehouse/index.js';
import type { SourceDocument } from '../index/index.js';

/** Returns the text of a value, or an empty string for SQL NULL. */
function textOf(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Returns one document per warehouse airport: "Chicago O'Hare International, Chicago, IL". */
export async function loadAirportDocuments(duckdb: DuckDbBackend, dataDir: string): Promise<SourceDocument[]> {
  const database = quoteLiteral(path.join(dataDir, WAREHOUSE_DATABASE_FILE));
  await duckdb.query({ sql: `ATTACH ${database} AS vector_source_wh (READ_ONLY)`, params: [] });
  try {
    const rows = await duckdb.query({ sql: 'SELECT iata, name, city, state FROM vector_source_wh.airports ORDER BY iata', params: [] });
    return rows.map((row) => ({
      id: textOf(row.iata),
      text: [row.name, row.city, row.state].map(textOf).filter((part) => part !== '').join(', '),
      metadata: { iata: textOf(row.iata), city: textOf(row.city), state: textOf(row.state) },
    }));
  } finally {
    await duckdb.query({ sql: 'DETACH vector_source_wh', params: [] });
  }
}

/**
 * Returns one document per lake bird strike: "Bird strike at … in <year>, damage …, species …".
 * The text carries only the year of the incident date, because the lake masks `Birdstrike.date` to its
 * year for most callers and a snippet must not reveal more than the masked field does.
 */
export async function loadBirdstrikeDocuments(duckdb: DuckDbBackend, lakeDir: string): Promise<SourceDocument[]> {
  const dir = path.join(lakeDir, 'birdstrikes');
  const reader = datasetReader(dir, readManifest(dir));
  const sql =
    'SELECT id, "Airport Name" AS airport, CAST("Flight Date" AS VARCHAR) AS date, "Effect Amount of damage" AS damage, ' +
    `"Wildlife Species" AS species, "Origin State" AS state FROM ${reader} ORDER BY id`;
  const rows = await duckdb.query({ sql, params: [] });
  return rows.map((row) => {
    const date = textOf(row.date);
    return {
      id: textOf(row.id),
      text: `Bird strike at ${textOf(row.airport)} in ${date.slice(0, 4)}, damage ${textOf(row.damage)}, species ${textOf(row.species)}`,
      metadata: { id: Number(row.id), year: date === '' ? null : Number(date.slice(0, 4)), state: textOf(row.state), damage: textOf(row.damage) },
    };
  });
}
