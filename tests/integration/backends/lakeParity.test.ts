import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, type GraphQLSchema } from 'graphql';
import { loadConfig } from '../../../core/config/index.js';
import { createLogger } from '../../../core/logger.js';
import { mergeResolvers } from '../../../subgraphs/kit/server.js';
import { catalogResolvers, openLake, type Lake } from '../../../subgraphs/lake/index.js';
import { postGraphQL } from '../../support/mesh.js';
import { resolveFromEngine } from './bigQueryOverDuckDb.js';
import { FakeBigQuery } from './fakeBigQuery.js';
import { startServiceProcess, type ServiceProcess } from './serviceProcess.js';
import { buildWarehouseData, SourceEngine } from './sourceEngine.js';

/**
 * The lake data product on BigQuery external tables over the same files as the embedded lake,
 * opened by configuration alone, must return the same data for every operation.
 */

const TOKEN_ENV = 'PARITY_BIGQUERY_TOKEN';

/** Operations covering wall-clock filters, BigInt keys, aggregates, CSV columns with spaces and relations. */
const OPERATIONS: Record<string, string> = {
  delayedFlights: `{
    flights(first: 6, where: { date: { gte: "2001-03-01T00:00:00", lt: "2001-03-02T00:00:00" }, delay: { gt: 60 } }, orderBy: [{ delay: DESC }]) {
      totalCount
      nodes { id date delay distance origin { iata } destination { iata } }
    }
  }`,
  originGroups: `{
    flightsAggregate(groupBy: [origin], first: 6, where: { date: { gte: "2001-06-01T00:00:00" }, distance: { gte: 1000 } }) {
      key { origin { iata } } count avg { delay } max { date distance } sum { distance }
    }
  }`,
  costlyStrikes: `{
    birdstrikes(first: 5, where: { costTotal: { gt: "100000" } }, orderBy: [{ costTotal: DESC }]) {
      nodes { id airportName aircraftModel date operator costTotal costRepair speed wildlifeSize }
    }
  }`,
  strikeGroups: `{
    birdstrikesAggregate(groupBy: [phaseOfFlight], where: { originState: { in: ["Texas", "California"] } }) {
      key { phaseOfFlight } count sum { costTotal } max { date }
    }
  }`,
  departures: `{
    _entities(representations: [{ __typename: "Airport", iata: "SFO" }, { __typename: "Airport", iata: "BOS" }]) {
      ... on Airport {
        iata
        departuresAggregate(where: { date: { lt: "2001-01-08T00:00:00" } }) { count avg { delay } }
        departures(first: 3, orderBy: [{ date: ASC }, { id: ASC }]) { nodes { id date destination { iata } } }
      }
    }
  }`,
};

const CATALOG = '{ datasets { name format partitions partitionCount rowCount columns { name } } }';

type Execute = (source: string) => Promise<Record<string, unknown>>;

let dataDir: string;
let embedded: Lake;
let embeddedSchema: GraphQLSchema;
let engine: SourceEngine;
let fake: FakeBigQuery;
let service: ServiceProcess;

const runEmbedded: Execute = async (source) => {
  const result = await graphql({ schema: embeddedSchema, source, contextValue: {} });
  if (result.errors) throw new Error(result.errors.map((error) => error.message).join('; '));
  return result.data as Record<string, unknown>;
};

const runOnBigQuery: Execute = async (source) => {
  const { body } = await postGraphQL(`${service.url}/graphql`, source);
  if (body.errors) throw new Error(body.errors.map((error) => error.message).join('; '));
  return body.data as Record<string, unknown>;
};

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'meshgate-lake-parity-'));
  await buildWarehouseData(dataDir);
  embedded = await openLake(loadConfig({ env: {}, overrides: { dataDir } }), createLogger({ level: 'silent' }));
  embeddedSchema = buildSubgraphSchema([{ typeDefs: embedded.product.typeDefs, resolvers: mergeResolvers([embedded.product.resolvers, catalogResolvers(embedded)]) }]);

  engine = await SourceEngine.overLake(path.join(dataDir, 'lake'));
  fake = await FakeBigQuery.start();
  fake.resolve = resolveFromEngine(engine, '`mesh-project`.`lake`.');
  const config = {
    dataDir,
    subgraphs: { lake: { port: 0 } },
    lake: { backend: { kind: 'bigquery', projectId: 'mesh-project', dataset: 'lake', accessTokenEnv: TOKEN_ENV, apiEndpoint: fake.url } },
  };
  service = await startServiceProcess('lake', config, path.join(dataDir, 'bigquery.json'), { [TOKEN_ENV]: 'lake-token' });
}, 180_000);

afterAll(async () => {
  await service?.stop();
  await fake?.stop();
  engine?.close();
  await embedded?.backend.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('lake on BigQuery external tables', () => {
  it.each(Object.keys(OPERATIONS))('returns %s like the embedded lake', async (name) => {
    const expected = await runEmbedded(OPERATIONS[name]);

    expect(JSON.stringify(expected)).not.toMatch(/\[\]|"count":0/);
    expect(await runOnBigQuery(OPERATIONS[name])).toEqual(expected);
  });

  it('lists the datasets with their format, partitions and row counts', async () => {
    type Catalog = { datasets: Array<{ name: string; format: string; partitions: string[]; partitionCount: number; rowCount: string; columns: Array<{ name: string }> }> };
    const expected = (await runEmbedded(CATALOG)) as Catalog;
    const actual = (await runOnBigQuery(CATALOG)) as Catalog;
    const summary = (catalog: Catalog) =>
      catalog.datasets
        .map(({ name, format, partitions, partitionCount, rowCount, columns }) => ({
          name,
          format,
          partitions,
          partitionCount,
          rowCount,
          columns: columns.map((column) => column.name).filter((column) => !partitions.includes(column)),
        }))
        .sort((a, b) => a.name.localeCompare(b.name));

    expect(summary(actual)).toEqual(summary(expected));
  });

  it('reads the tables of the configured dataset', () => {
    const queries = fake.requestsTo('POST', 'jobs').map((request) => (request.body as { configuration: { query: { query: string } } }).configuration.query.query);

    expect(queries.some((query) => query.includes('FROM `mesh-project`.`lake`.`flights`'))).toBe(true);
    expect(queries.some((query) => query.includes('`mesh-project`.`lake`.INFORMATION_SCHEMA.TABLE_OPTIONS'))).toBe(true);
  });
});
