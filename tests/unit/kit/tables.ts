import { GraphQLError } from 'graphql';
import { readDataProduct } from '../../../subgraphs/kit/model.js';
import { duckDbDialect, type SqlDialect } from '../../../subgraphs/kit/sql/dialect.js';
import type { PartitionRule, TableContext } from '../../../subgraphs/kit/sql/table.js';

/** A flight table with one key field and a leg table with a compound key, as unit-test fixtures. */
export const FLIGHTS_SDL = `
type Flight @key(fields: "id") @table(name: "flights") {
  id: ID!
  carrier: String
  delay: Int
  distance: BigInt
  fare: Decimal
  departedAt: LocalDateTime @column(name: "departed_at")
}

type Leg @key(fields: "flightId seq") @table(name: "legs") {
  flightId: ID! @column(name: "flight_id")
  seq: Int!
  origin: String
}
`;

const FLIGHT_COLUMNS = new Map([
  ['id', 'VARCHAR'],
  ['carrier', 'VARCHAR'],
  ['delay', 'INTEGER'],
  ['distance', 'BIGINT'],
  ['fare', 'DECIMAL(10,2)'],
  ['departed_at', 'TIMESTAMP'],
]);

const LEG_COLUMNS = new Map([
  ['flight_id', 'VARCHAR'],
  ['seq', 'INTEGER'],
  ['origin', 'VARCHAR'],
]);

/** `month = strftime(departed_at, '%Y-%m')`, a partition column that never decreases with its source. */
export const MONTH_PARTITION: PartitionRule = {
  partitionColumn: 'month',
  sourceColumn: 'departed_at',
  derive: (placeholder) => `strftime(${placeholder}, '%Y-%m')`,
};

export function flightTable(partitions: readonly PartitionRule[] = [], dialect: SqlDialect = duckDbDialect): TableContext {
  const model = readDataProduct(FLIGHTS_SDL);
  return { model, type: model.types.get('Flight')!, dialect, from: '"flights"', columnTypes: FLIGHT_COLUMNS, partitions };
}

export function legTable(): TableContext {
  const model = readDataProduct(FLIGHTS_SDL);
  return { model, type: model.types.get('Leg')!, dialect: duckDbDialect, from: '"legs"', columnTypes: LEG_COLUMNS, partitions: [] };
}

/** Returns the `type` error that `action` throws; rethrows any other error and fails when nothing is thrown. */
export function thrownBy<E extends Error>(type: new (...args: never[]) => E, action: () => unknown): E {
  try {
    action();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}, but nothing was thrown`);
}

export function graphQLErrorOf(action: () => unknown): GraphQLError {
  return thrownBy(GraphQLError, action);
}
