import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../../core/logger.js';
import { runPipeline } from '../../../ops/pipeline/index.js';
import type { ProgressReporter } from '../../../ops/pipeline/progress.js';
import { DuckDbBackend } from '../../../subgraphs/kit/duckdb.js';
import { datasetReader, readManifest } from '../../../subgraphs/lake/manifest.js';
import { SourceSql } from '../../support/sourceSql.js';

const logger = createLogger({ level: 'silent' });
let dataDir: string;
let sql: SourceSql;

/** A progress reporter that fails when `step` starts, as an interrupted run would stop there. */
function failingAt(step: string): ProgressReporter {
  return {
    start(name) {
      if (name === step) throw new Error(`interrupted at ${name}`);
      return { increment: () => undefined, stop: () => undefined };
    },
    close: () => undefined,
  };
}

async function countRows(relation: string, database = ':memory:'): Promise<number> {
  const backend = await DuckDbBackend.open({ path: database, readOnly: database !== ':memory:', connections: 1, logger });
  try {
    const rows = await backend.query({ sql: `SELECT count(*) AS n FROM ${relation}`, params: [] });
    return Number(rows[0].n);
  } finally {
    await backend.close();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'meshgate-pipeline-'));
  sql = await SourceSql.open();
  await runPipeline({ dataDir, logger });
}, 300_000);

afterAll(() => {
  sql?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('runPipeline', () => {
  it('builds the lake with every source row', async () => {
    const [flights] = await sql.rows('SELECT count(*) AS n FROM {flights}');
    const [strikes] = await sql.rows('SELECT count(*) AS n FROM {birdstrikes}');
    const flightsDir = path.join(dataDir, 'lake', 'flights');
    const strikesDir = path.join(dataDir, 'lake', 'birdstrikes');

    expect(await countRows(datasetReader(flightsDir, readManifest(flightsDir)))).toBe(Number(flights.n));
    expect(await countRows(datasetReader(strikesDir, readManifest(strikesDir)))).toBe(Number(strikes.n));
  });

  it('builds the curated warehouse tables', async () => {
    const warehouse = path.join(dataDir, 'warehouse.duckdb');
    const [airports] = await sql.rows('SELECT count(*) AS n FROM {airports}');
    const [days] = await sql.rows('SELECT count(*) AS n FROM (SELECT DISTINCT origin, CAST(date AS DATE) FROM {flights})');

    expect(await countRows('airports', warehouse)).toBe(Number(airports.n));
    expect(await countRows('daily_airport_delay', warehouse)).toBe(Number(days.n));
  });

  it('reuses a current data folder', async () => {
    const manifest = path.join(dataDir, 'lake', 'flights', '_dataset.json');
    const before = statSync(manifest).mtimeMs;
    const result = await runPipeline({ dataDir, logger });

    expect(result.built).toBe(false);
    expect(statSync(manifest).mtimeMs).toBe(before);
  });

  it('keeps the previous data in use when interrupted', async () => {
    const flightsDir = path.join(dataDir, 'lake', 'flights');
    const warehouse = path.join(dataDir, 'warehouse.duckdb');
    const stateBefore = readFileSync(path.join(dataDir, 'pipeline.json'), 'utf8');
    const warehouseBefore = statSync(warehouse).mtimeMs;

    await expect(runPipeline({ dataDir, logger, force: true, progress: failingAt('warehouse') })).rejects.toThrow('interrupted at warehouse');

    // The lake was rebuilt and published whole; the warehouse and the run's record are untouched.
    const manifest = readManifest(flightsDir);
    expect(existsSync(path.join(flightsDir, manifest.version))).toBe(true);
    expect(await countRows(datasetReader(flightsDir, manifest))).toBe(manifest.rowCount);
    expect(statSync(warehouse).mtimeMs).toBe(warehouseBefore);
    expect(readFileSync(path.join(dataDir, 'pipeline.json'), 'utf8')).toBe(stateBefore);
  });
});
