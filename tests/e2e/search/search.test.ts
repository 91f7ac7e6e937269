import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadConfig } from '../../../core/config/index.js';
import { createLogger } from '../../../core/logger.js';
import { startMesh, type RunningMesh } from '../../../gateway/mesh.js';
import { withEphemeralPorts } from '../../../ops/bench/run.js';
import { runPipeline } from '../../../ops/pipeline/index.js';

jest.setTimeout(900_000);

const AIRPORTS_CSV = path.join(__dirname, '..', '..', '..', 'node_modules', 'vega-datasets', 'data', 'airports.csv');

interface AirportHit {
  collection: string;
  entity: { __typename: string; iata: string; name: string | null; departuresAggregate: Array<{ count: number; avg: { delay: number | null } }> };
}

async function post(url: string, query: string): Promise<{ data?: { search: AirportHit[] }; errors?: unknown[] }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await response.json()) as { data?: { search: AirportHit[] }; errors?: unknown[] };
}

/** Reads the airports' names straight from the vega-datasets CSV with plain SQL. */
async function airportNamesFromCsv(codes: readonly string[]): Promise<Map<string, string>> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const list = codes.map((code) => `'${code.replace(/'/g, "''")}'`).join(', ');
  const reader = await connection.runAndReadAll(`SELECT iata, name FROM read_csv('${AIRPORTS_CSV}', header = true, all_varchar = true) WHERE iata IN (${list})`);
  const names = new Map(reader.getRowObjects().map((row) => [String(row.iata), String(row.name)]));
  connection.closeSync();
  return names;
}

/** Counts an airport's departures straight from the vega-datasets flights file. */
async function departuresFromParquet(iata: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const file = path.join(path.dirname(AIRPORTS_CSV), 'flights-3m.parquet');
  const reader = await connection.runAndReadAll(`SELECT count(*) AS n FROM read_parquet('${file}') WHERE origin = '${iata}'`);
  const count = Number(reader.getRowObjects()[0].n);
  connection.closeSync();
  return count;
}

describe('search through the gateway', () => {
  let dataDir: string;
  let mesh: RunningMesh | undefined;
  let url: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'meshgate-search-'));
    const logger = createLogger({ level: 'silent' });
    await runPipeline({ dataDir, logger });
    const config = withEphemeralPorts(loadConfig({ overrides: { dataDir } }));
    mesh = await startMesh(config, logger, { skipPipeline: true });
    url = `${mesh.gateway.url}/graphql`;
  });

  afterAll(async () => {
    await mesh?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('joins airport hits with warehouse names and lake delays', async () => {
    const result = await post(
      url,
      `{ search(query: "Chicago O'Hare International Chicago IL", collections: ["airports"], first: 3) {
          collection entity { __typename ... on Airport { iata name departuresAggregate { count avg { delay } } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    const hits = result.data?.search ?? [];
    expect(hits).toHaveLength(3);
    expect(hits[0].entity.iata).toBe('ORD');

    const names = await airportNamesFromCsv(hits.map((hit) => hit.entity.iata));
    for (const hit of hits) {
      expect(hit.entity.__typename).toBe('Airport');
      expect(hit.entity.name).toBe(names.get(hit.entity.iata));
    }
    expect(hits[0].entity.departuresAggregate[0].count).toBe(await departuresFromParquet('ORD'));
  });
});
