import type { Row } from '../../../subgraphs/kit/backend.js';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, type GraphQLSchema } from 'graphql';
import { createLogger } from '../../../core/logger.js';
import { DuckDbBackend } from '../../../subgraphs/kit/duckdb.js';
import { createDataProduct } from '../../../subgraphs/kit/engine.js';

/** A data product over a flights table and a legs table with a compound key. */
export const FLIGHTS_SDL = `
type Flight @key(fields: "id") @table(name: "flights") {
  id: ID!
  carrier: String
  delay: Int
  seats: Int
  distance: BigInt
  fare: Decimal
  departedAt: LocalDateTime @column(name: "departed_at")
  landedAt: DateTime @column(name: "landed_at")
}

type Leg @key(fields: "flightId seq") @table(name: "legs") {
  flightId: ID! @column(name: "flight_id")
  seq: Int!
  origin: String
}

type Event @key(fields: "id") @table(name: "events") {
  id: ID!
  payload: JSON
}
`;

/**
 * Twelve flights with NULLs and ties in carrier, delay, fare and departed_at, BIGINT values above
 * 2^53, INTEGER seats whose sum passes 2^31, and a carrier that contains SQL text.
 */
const FIXTURE_STATEMENTS = [
  `CREATE TABLE flights (
    id VARCHAR PRIMARY KEY, carrier VARCHAR, delay INTEGER, seats INTEGER, distance BIGINT,
    fare DECIMAL(10,2), departed_at TIMESTAMP, landed_at TIMESTAMPTZ)`,
  `INSERT INTO flights VALUES
    ('f01', 'AA', 10, 2000000000, 9007199254740993, 120.50, '2001-01-01 05:00:00', '2001-01-01 07:00:00+02'),
    ('f02', 'BA', NULL, 150, 1, 99.99, '2001-01-01 23:30:00', NULL),
    ('f03', 'AA', 10, 2000000000, 9007199254740995, 15.25, '2001-02-28 00:00:00', '2001-02-28 03:00:00+00'),
    ('f04', NULL, 3, 120, 2, 0.01, '2001-03-01 12:00:00.123456', NULL),
    ('f05', 'x''; DROP TABLE flights; --', 7, 80, 3, 10.00, '2001-03-02 08:15:00', NULL),
    ('f06', 'CA', NULL, 2000000000, 4000000000, 250.00, NULL, NULL),
    ('f07', 'BA', -4, 90, 5, 99.99, '2001-04-01 00:00:00', NULL),
    ('f08', 'AA', 3, 100, 6, 120.50, '2001-04-01 00:00:00', NULL),
    ('f09', 'CA', 10, 110, 7, NULL, '2001-05-05 05:05:05', NULL),
    ('f10', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    ('f11', 'A%B', 7, 60, 8, 1.10, '2001-06-01 00:00:00', NULL),
    ('f12', 'AA', 0, 70, 9, 5.00, '2001-06-01 00:00:00', NULL)`,
  'CREATE TABLE legs (flight_id VARCHAR, seq INTEGER, origin VARCHAR, PRIMARY KEY (flight_id, seq))',
  'CREATE TABLE events (id VARCHAR PRIMARY KEY, payload JSON)',
  `INSERT INTO events VALUES ('e1', '{"n": 9223372036854775807, "x": 0.1, "tags": ["a"]}'), ('e2', NULL), ('e3', '[-9223372036854775808, 123456789012345678901234567890.5]')`,
  `INSERT INTO legs VALUES ('f01', 1, 'LHR'), ('f01', 2, 'JFK'), ('f02', 1, 'CDG'), ('f02', 2, 'AMS')`,
];

/** An in-memory DuckDB with the fixture tables, and the subgraph schema of the data product over it. */
export interface FlightsSubgraph {
  readonly backend: DuckDbBackend;
  readonly schema: GraphQLSchema;
  /** Runs plain SQL on the fixture database, for expected values. */
  sql(text: string): Promise<Row[]>;
  /** Executes a GraphQL operation in a fresh request context and returns its data; errors throw. */
  execute<T>(source: string, variableValues?: Record<string, unknown>): Promise<T>;
}

export async function openFlightsSubgraph(): Promise<FlightsSubgraph> {
  const backend = await DuckDbBackend.open({ path: ':memory:', connections: 2, logger: createLogger({ level: 'silent' }) });
  for (const statement of FIXTURE_STATEMENTS) await backend.query({ sql: statement, params: [] });

  const product = await createDataProduct({
    sdl: FLIGHTS_SDL,
    backendKind: 'warehouse',
    backend,
    pagination: { defaultPageSize: 5, maxPageSize: 100 },
  });
  const schema = buildSubgraphSchema([{ typeDefs: product.typeDefs, resolvers: product.resolvers }]);

  return {
    backend,
    schema,
    sql: (text) => backend.query({ sql: text, params: [] }),
    execute: async <T>(source: string, variableValues?: Record<string, unknown>) => {
      const result = await graphql({ schema, source, variableValues, contextValue: {} });
      if (result.errors?.length) throw new Error(result.errors.map((error) => error.message).join('\n'));
      return result.data as T;
    },
  };
}
