import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, type GraphQLSchema } from 'graphql';
import { loadConfig, type ConfigInput } from '../../../core/config/index.js';
import { createLogger } from '../../../core/logger.js';
import { openWarehouse, type Warehouse } from '../../../subgraphs/warehouse/index.js';
import { postGraphQL } from '../../support/mesh.js';
import { resolveFromEngine } from './bigQueryOverDuckDb.js';
import { FakeBigQuery } from './fakeBigQuery.js';
import { startServiceProcess, type ServiceProcess } from './serviceProcess.js';
import { FakeSnowflake } from './fakeSnowflake.js';
import { replyFromEngine } from './snowflakeOverDuckDb.js';
import { buildWarehouseData, SourceEngine } from './sourceEngine.js';

/**
 * The warehouse data product opened twice from configuration alone, on the embedded DuckDB file and
 * on a warehouse service that stores the same tables, must return the same data for every operation.
 */

const PASSWORD_ENV = 'PARITY_SNOWFLAKE_PASSWORD';

/** Operations covering filters, LIKE, ordering, cursors, aggregates, relations, dates and entities. */
const OPERATIONS: Record<string, string> = {
  filteredPage: `{
    airports(first: 7, where: { state: { in: ["CA", "TX"] }, name: { like: "%Int%" } }, orderBy: [{ state: DESC }, { latitude: ASC }]) {
      totalCount
      nodes { iata name city state country latitude longitude }
      pageInfo { hasNextPage }
    }
  }`,
  groups: `{
    airportsAggregate(groupBy: [state], first: 12, where: { latitude: { gt: 30.5 } }) {
      key { state } count avg { latitude } min { name latitude } max { longitude city }
    }
  }`,
  relations: `{
    airports(first: 3, where: { iata: { in: ["ORD", "ATL", "DFW"] } }) {
      nodes {
        iata
        routes(first: 2, orderBy: [{ flights: DESC }]) { totalCount nodes { destinationIata flights destination { name state } } }
        dailyDelaysAggregate { count sum { flights delayedFlights } max { maxDelay date } }
      }
    }
  }`,
  dates: `{
    airportDailyDelays(first: 10, where: { iata: { eq: "ORD" }, date: { gte: "2001-03-01", lt: "2001-03-06" } }, orderBy: [{ date: DESC }]) {
      nodes { iata date flights delayedFlights avgDelay maxDelay }
    }
  }`,
  lookups: `{
    airport(iata: "SFO") { name city }
    route(originIata: "ORD", destinationIata: "LGA") { flights origin { name } }
    missing: airport(iata: "ZZZ") { name }
    _entities(representations: [{ __typename: "Airport", iata: "JFK" }, { __typename: "AirportDailyDelay", iata: "ATL", date: "2001-04-04" }]) {
      ... on Airport { name }
      ... on AirportDailyDelay { flights avgDelay }
    }
  }`,
  negations: `{
    routesAggregate(where: { not: { destinationIata: { eq: "ATL" } }, or: [{ flights: { lt: 3 } }, { originIata: { notIn: ["ORD"] }, flights: { gte: 5000 } }] }) {
      count sum { flights } min { flights }
    }
  }`,
};

/** An unresolved entity or an empty group in the embedded result, which would make a comparison weak. */
const WEAK_ANSWER = /null\]|"count":0/;

interface Subgraph {
  readonly warehouse: Warehouse;
  readonly schema: GraphQLSchema;
}

/** Runs one operation on a subgraph and returns its data; errors throw. */
type Execute = (source: string, variableValues?: Record<string, unknown>) => Promise<Record<string, unknown>>;

async function openSubgraph(overrides: ConfigInput): Promise<Subgraph> {
  const config = loadConfig({ env: {}, overrides });
  const warehouse = await openWarehouse(config, createLogger({ level: 'silent' }));
  return { warehouse, schema: buildSubgraphSchema([{ typeDefs: warehouse.product.typeDefs, resolvers: warehouse.product.resolvers }]) };
}

function inProcess(subgraph: Subgraph): Execute {
  return async (source, variableValues) => {
    const result = await graphql({ schema: subgraph.schema, source, variableValues, contextValue: {} });
    if (result.errors) throw new Error(result.errors.map((error) => error.message).join('; '));
    return result.data as Record<string, unknown>;
  };
}

function overHttp(serviceUrl: string): Execute {
  return async (query, variables) => {
    const { body } = await postGraphQL(`${serviceUrl}/graphql`, query, variables);
    if (body.errors) throw new Error(body.errors.map((error) => error.message).join('; '));
    return body.data as Record<string, unknown>;
  };
}

/** Follows `endCursor` through every page of ORD's March routes, returning each page's destinations. */
async function walkPages(execute: Execute): Promise<string[][]> {
  const query = `query Page($after: String) {
    routes(first: 4, after: $after, where: { originIata: { eq: "ORD" }, destinationIata: { like: "L%" } }, orderBy: [{ flights: DESC }]) {
      nodes { destinationIata flights }
      pageInfo { hasNextPage endCursor }
    }
  }`;
  const pages: string[][] = [];
  let after: string | null = null;
  do {
    const data = (await execute(query, { after })) as {
      routes: { nodes: Array<{ destinationIata: string; flights: number }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    };
    pages.push(data.routes.nodes.map((node) => `${node.destinationIata}:${node.flights}`));
    after = data.routes.pageInfo.hasNextPage ? data.routes.pageInfo.endCursor : null;
  } while (after !== null);
  return pages;
}

let dataDir: string;
let databaseFile: string;
let embedded: Subgraph;
let embeddedExecute: Execute;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'meshgate-parity-'));
  databaseFile = await buildWarehouseData(dataDir);
  embedded = await openSubgraph({ dataDir });
  embeddedExecute = inProcess(embedded);
}, 180_000);

afterAll(async () => {
  await embedded?.warehouse.backend.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function expectSameData(remote: Execute, operation: string): Promise<void> {
  const expected = await embeddedExecute(operation);

  expect(JSON.stringify(expected)).not.toMatch(WEAK_ANSWER);
  expect(await remote(operation)).toEqual(expected);
}

async function expectSamePages(remote: Execute): Promise<void> {
  const expected = await walkPages(embeddedExecute);

  expect(expected.length).toBeGreaterThan(1);
  expect(await walkPages(remote)).toEqual(expected);
}

describe('warehouse on Snowflake', () => {
  let engine: SourceEngine;
  let fake: FakeSnowflake;
  let remote: Subgraph;

  beforeAll(async () => {
    engine = await SourceEngine.overWarehouse(databaseFile, { upperCaseNames: true });
    process.env[PASSWORD_ENV] = 'parity-secret';
    fake = await FakeSnowflake.start('parity', [{ username: 'MESHGATE', password: 'parity-secret' }]);
    fake.reply = replyFromEngine(engine, '"ANALYTICS"."CURATED".');
    remote = await openSubgraph({
      dataDir,
      warehouse: {
        backend: {
          kind: 'snowflake',
          account: 'parity',
          username: 'MESHGATE',
          warehouse: 'MESH_WH',
          database: 'ANALYTICS',
          schema: 'CURATED',
          passwordEnv: PASSWORD_ENV,
          accessUrl: fake.url,
        },
      },
    });
  });

  afterAll(async () => {
    await remote?.warehouse.backend.close();
    await fake?.stop();
    engine?.close();
    delete process.env[PASSWORD_ENV];
  });

  it.each(Object.keys(OPERATIONS))('returns %s like the embedded engine', async (name) => {
    await expectSameData(inProcess(remote), OPERATIONS[name]);
  });

  it('pages through the same rows with its own cursors', async () => {
    await expectSamePages(inProcess(remote));
  });

  it('reads the configured database and schema with binds', () => {
    const statements = fake.queries.map((query) => query.sqlText).filter((sql) => sql.includes('"IATA" IN'));

    expect(statements.length).toBeGreaterThan(0);
    expect(statements[0]).toContain('FROM "ANALYTICS"."CURATED"."AIRPORTS"');
    expect(statements[0]).toContain('"IATA" AS "iata"');
    expect(statements[0]).not.toContain("'ORD'");
  });

  it('logs in with the configured warehouse', () => {
    expect(fake.logins[0].context.warehouse).toBe('MESH_WH');
  });
});

describe('warehouse on BigQuery, served by meshgate serve', () => {
  const TOKEN_ENV = 'PARITY_BIGQUERY_TOKEN';
  let engine: SourceEngine;
  let fake: FakeBigQuery;
  let service: ServiceProcess;

  beforeAll(async () => {
    engine = await SourceEngine.overWarehouse(databaseFile);
    fake = await FakeBigQuery.start();
    fake.resolve = resolveFromEngine(engine, '`mesh-project`.`curated`.');
    const config = {
      dataDir,
      subgraphs: { warehouse: { port: 0 } },
      warehouse: {
        backend: { kind: 'bigquery', projectId: 'mesh-project', dataset: 'curated', location: 'EU', accessTokenEnv: TOKEN_ENV, apiEndpoint: fake.url, pageSize: 7 },
      },
    };
    service = await startServiceProcess('warehouse', config, path.join(dataDir, 'bigquery.json'), { [TOKEN_ENV]: 'parity-token' });
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    await fake?.stop();
    engine?.close();
  });

  it.each(Object.keys(OPERATIONS))('returns %s like the embedded engine', async (name) => {
    await expectSameData(overHttp(service.url), OPERATIONS[name]);
  });

  it('pages through the same rows with its own cursors', async () => {
    await expectSamePages(overHttp(service.url));
  });

  it('sends named parameters to the configured dataset and location', () => {
    const jobs = fake.requestsTo('POST', 'jobs').map((request) => request.body as { configuration: { query: { query: string; queryParameters?: unknown[] } }; jobReference: { location?: string } });
    const lookup = jobs.find((job) => job.configuration.query.query.includes('`iata` IN'));

    expect(lookup?.configuration.query.query).toContain('FROM `mesh-project`.`curated`.`airports`');
    expect(lookup?.configuration.query.queryParameters?.length).toBeGreaterThan(0);
    expect(lookup?.jobReference.location).toBe('EU');
  });

  it('reads results of several pages', () => {
    const pageTokens = fake.requestsTo('GET', 'queries/').filter((request) => request.query.pageToken !== undefined);

    expect(pageTokens.length).toBeGreaterThan(0);
  });

  it('sends the token from the environment and nothing to a metadata server', () => {
    expect(fake.requests.every((request) => request.headers.authorization === 'Bearer parity-token')).toBe(true);
    expect(fake.requests.some((request) => request.path.startsWith('/computeMetadata'))).toBe(false);
  });
});
