import { postGraphQL } from './graphqlClient.js';
import { time, type LatencySummary } from './stats.js';

/** 100 groups of lake rows, each naming a distinct destination airport that the warehouse resolves. */
export const HUNDRED_AIRPORTS_QUERY =
  '{ flightsAggregate(groupBy: [destination], first: 100) { key { destination { iata name city state } } count } }';

export interface BatchingResult {
  readonly airportsResolved: number;
  readonly warehouseStatementsPerRequest: number;
  readonly latency: LatencySummary;
}

/** Reads `meshgate_backend_statements_total` from a subgraph's `/metrics`. */
export async function backendStatements(subgraphUrl: string): Promise<number> {
  const text = await (await fetch(`${subgraphUrl}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith('meshgate_backend_statements_total'));
  return line ? Number(line.split(' ').pop()) : Number.NaN;
}

/** Resolves 100 airports from lake rows through the gateway and counts the warehouse's statements. */
export async function measureEntityBatching(gatewayUrl: string, warehouseUrl: string, iterations: number): Promise<BatchingResult> {
  const before = await backendStatements(warehouseUrl);
  const data = await postGraphQL(gatewayUrl, HUNDRED_AIRPORTS_QUERY);
  const after = await backendStatements(warehouseUrl);
  const groups = data.flightsAggregate as Array<{ key: { destination: { name: string | null } | null } }>;
  const resolved = groups.filter((group) => group.key.destination?.name).length;
  const latency = await time(iterations, () => postGraphQL(gatewayUrl, HUNDRED_AIRPORTS_QUERY));
  return { airportsResolved: resolved, warehouseStatementsPerRequest: after - before, latency };
}
