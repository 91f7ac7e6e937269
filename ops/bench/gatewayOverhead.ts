import { graphql } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Logger } from '../../core/logger.js';
import type { Statement } from '../../subgraphs/kit/sql/statement.js';
import { mergeResolvers } from '../../subgraphs/kit/server.js';
import { catalogResolvers, type Lake } from '../../subgraphs/lake/index.js';
import { postGraphQL } from './graphqlClient.js';
import { round, time, type LatencySummary } from './stats.js';

export const OVERHEAD_QUERIES = {
  aggregate: '{ flightsAggregate(where: { origin: { eq: "ORD" } }) { count avg { delay } max { delay } } }',
  filteredPage:
    '{ flights(where: { origin: { eq: "SFO" }, delay: { gte: 300 } }, orderBy: [{ delay: DESC }], first: 2) { totalCount nodes { date delay distance } } }',
};

export interface OverheadResult {
  readonly name: string;
  readonly query: string;
  readonly statements: readonly Statement[];
  readonly gateway: LatencySummary;
  readonly duckdb: LatencySummary;
  readonly ratio: number;
}

/** Captures the SQL statements the lake runs for `query`, by executing it against the lake's schema. */
async function captureStatements(lake: Lake, query: string): Promise<Statement[]> {
  const schema = buildSubgraphSchema([{ typeDefs: lake.product.typeDefs, resolvers: mergeResolvers([lake.product.resolvers, catalogResolvers(lake)]) }]);
  const statements: Statement[] = [];
  const stop = lake.backend.onStatement((statement) => statements.push(statement));
  const result = await graphql({ schema, source: query, contextValue: {} });
  stop();
  if (result.errors?.length) throw new Error(`Query failed while capturing its SQL: ${result.errors[0].message}`);
  return statements;
}

/**
 * Times each query through the gateway against the same SQL statements run directly on a separate
 * DuckDB instance in the same process, one after the other as the lake runs them.
 */
export async function measureGatewayOverhead(gatewayUrl: string, lake: Lake, iterations: number, logger: Logger): Promise<OverheadResult[]> {
  const direct = await DuckDBInstance.create(':memory:');
  const connection = await direct.connect();
  await connection.run("SET TimeZone = 'UTC'");
  const results: OverheadResult[] = [];
  try {
    for (const [name, query] of Object.entries(OVERHEAD_QUERIES)) {
      const statements = await captureStatements(lake, query);
      const gateway = await time(iterations, () => postGraphQL(gatewayUrl, query));
      const duckdb = await time(iterations, async () => {
        for (const statement of statements) await connection.runAndReadAll(statement.sql, statement.params as never);
      });
      results.push({ name, query, statements, gateway, duckdb, ratio: round(gateway.p50 / duckdb.p50) });
      logger.info({ benchmark: 'gateway-overhead', name, gatewayP50: gateway.p50, duckdbP50: duckdb.p50 }, 'benchmark measured');
    }
  } finally {
    connection.closeSync();
    direct.closeSync();
  }
  return results;
}
