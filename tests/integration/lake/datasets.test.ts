import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, type GraphQLSchema } from 'graphql';
import { createLogger } from '../../../core/logger.js';
import { DuckDbBackend } from '../../../subgraphs/kit/duckdb.js';
import { createDataProduct } from '../../../subgraphs/kit/engine.js';
import { quoteLiteral } from '../../../subgraphs/kit/sql/statement.js';
import { datasetReader, partitionRules, publishManifest, readManifest, type DatasetManifest } from '../../../subgraphs/lake/manifest.js';

const logger = createLogger({ level: 'silent' });
const pagination = { defaultPageSize: 50, maxPageSize: 1000 };
let root: string;
let backend: DuckDbBackend;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'meshgate-lake-'));
  backend = await DuckDbBackend.open({ path: ':memory:', logger });
});

afterAll(async () => {
  await backend.close();
  rmSync(root, { recursive: true, force: true });
});

function writeDataset(name: string, manifest: Omit<DatasetManifest, 'name' | 'version' | 'createdAt'>, files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, 'v1', file)), { recursive: true });
    writeFileSync(path.join(dir, 'v1', file), content);
  }
  publishManifest(dir, { ...manifest, name, version: 'v1', createdAt: new Date().toISOString() });
  return dir;
}

async function schemaFor(sdl: string, dir: string): Promise<GraphQLSchema> {
  const manifest = readManifest(dir);
  const sources = new Map([[manifest.name, { from: datasetReader(dir, manifest), partitions: partitionRules(manifest) }]]);
  const product = await createDataProduct({ sdl, backendKind: 'lake', backend, pagination, sources });
  return buildSubgraphSchema([{ typeDefs: product.typeDefs, resolvers: product.resolvers }]);
}

describe('CSV dataset with a pinned schema', () => {
  const SDL = 'type Reading @dataset(name: "readings") @key(fields: "id") { id: Int! code: String amount: Decimal zip: String }';
  const columns = [
    { name: 'id', type: 'INTEGER' },
    { name: 'code', type: 'VARCHAR' },
    { name: 'amount', type: 'DECIMAL(10,2)' },
    { name: 'zip', type: 'VARCHAR' },
  ];

  function readingsCsv(rows: number): string {
    const lines = ['id,code,amount,zip'];
    for (let i = 1; i <= rows; i += 1) {
      // The code column is numeric for the first 30,000 rows, far past DuckDB's sniffing sample.
      const code = i <= 30_000 ? String(i) : `X${i}`;
      lines.push(`${i},${code},12.75,007`);
    }
    return `${lines.join('\n')}\n`;
  }

  it('keeps a code that turns non-numeric after 30,000 rows as text', async () => {
    const dir = writeDataset('readings', { format: 'csv', files: '*.csv', columns, partitions: [], rowCount: 30_002 }, { 'readings.csv': readingsCsv(30_002) });
    const schema = await schemaFor(SDL, dir);
    const result = await graphql({
      schema,
      source: '{ readings(where: { id: { gte: 30000 } }, orderBy: [{ id: ASC }]) { nodes { id code amount zip } } }',
      contextValue: {},
    });

    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      readings: {
        nodes: [
          { id: 30000, code: '30000', amount: '12.75', zip: '007' },
          { id: 30001, code: 'X30001', amount: '12.75', zip: '007' },
          { id: 30002, code: 'X30002', amount: '12.75', zip: '007' },
        ],
      },
    });
  });

  it('names the file, line and column of a value that does not fit', async () => {
    const text = readingsCsv(5).replace('\n4,4,12.75,007', '\nfour,4,12.75,007');
    const dir = writeDataset('broken', { format: 'csv', files: '*.csv', columns, partitions: [], rowCount: 5 }, { 'broken.csv': text });
    const schema = await schemaFor(SDL.replace('"readings"', '"broken"'), dir);
    const result = await graphql({ schema, source: '{ readings { nodes { id } } }', contextValue: {} });
    const file = path.join(dir, 'v1', 'broken.csv');

    // The header is line 1, so the row with id 4 is on line 5.
    expect(result.errors?.[0].extensions?.code).toBe('DATASET_READ_FAILED');
    expect(result.errors?.[0].extensions).toMatchObject({ file, line: 5, column: 'id' });
    expect(result.errors?.[0].message).toBe(
      `File ${file}, line 5, column "id": cannot convert string "four" to 'INTEGER'. Fix the file or change the pinned column type in its _dataset.json.`,
    );
  });
});

describe('partitioned dataset', () => {
  const SDL = 'type Event @dataset(name: "events") @key(fields: "id") { id: Int! ts: LocalDateTime! value: Int }';
  let dir: string;

  beforeAll(async () => {
    dir = path.join(root, 'events');
    const version = path.join(dir, 'v1');
    mkdirSync(version, { recursive: true });
    const days = "SELECT CAST(i AS BIGINT) AS id, TIMESTAMP '2001-01-01' + to_days(CAST(i * 7 AS INTEGER)) AS ts, CAST(i AS BIGINT) AS value FROM range(1, 40) t(i)";
    const rows = `SELECT *, strftime(ts, '%Y-%m') AS month FROM (${days})`;
    await backend.query({ sql: `COPY (${rows}) TO ${quoteLiteral(version)} (FORMAT parquet, PARTITION_BY (month))`, params: [] });
    publishManifest(dir, {
      name: 'events',
      format: 'parquet',
      version: 'v1',
      files: 'month=*/*.parquet',
      columns: [
        { name: 'id', type: 'BIGINT' },
        { name: 'ts', type: 'TIMESTAMP' },
        { name: 'value', type: 'BIGINT' },
      ],
      partitions: [{ column: 'month', derivedFrom: { column: 'ts', function: 'year_month' } }],
      rowCount: 39,
      createdAt: new Date().toISOString(),
    });
    // A corrupt March partition: any query that reads it fails, so a query that succeeds did not read it.
    const march = path.join(version, 'month=2001-03');
    rmSync(march, { recursive: true });
    mkdirSync(march);
    writeFileSync(path.join(march, 'data_0.parquet'), 'not a parquet file');
  });

  it('skips partitions that a date range excludes', async () => {
    const schema = await schemaFor(SDL, dir);
    const result = await graphql({
      schema,
      source: '{ events(where: { ts: { gte: "2001-01-01T00:00:00", lt: "2001-02-01T00:00:00" } }) { totalCount nodes { id } } }',
      contextValue: {},
    });
    // Days 7, 14, 21 and 28 after January 1 fall in January: ids 1 to 4.
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ events: { totalCount: 4, nodes: [1, 2, 3, 4].map((id) => ({ id })) } });
  });

  it('reads every partition when the filter is under or', async () => {
    const schema = await schemaFor(SDL, dir);
    const result = await graphql({
      schema,
      source: '{ events(where: { or: [{ ts: { lt: "2001-02-01T00:00:00" } }, { id: { eq: 1 } }] }) { totalCount } }',
      contextValue: {},
    });
    expect(result.errors?.[0].extensions?.code).toBe('BACKEND_QUERY_FAILED');
  });
});
