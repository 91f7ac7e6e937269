import { duckDbDialect } from '../../../subgraphs/kit/sql/dialect.js';
import { cursorCondition, decodeCursor, encodeCursor, orderSql, resolveOrder, type OrderKey } from '../../../subgraphs/kit/sql/ordering.js';
import { ParameterList } from '../../../subgraphs/kit/sql/statement.js';
import { flightTable, graphQLErrorOf, legTable } from './tables.js';

const ANOTHER_ORDER = 'The cursor was issued for another orderBy; request the first page again with this orderBy.';

function summary(keys: readonly OrderKey[]): string[] {
  return keys.map((key) => `${key.field} ${key.direction} ${key.alias}`);
}

describe('resolveOrder', () => {
  it('orders by the key fields ascending without orderBy', () => {
    expect(summary(resolveOrder(flightTable(), null))).toEqual(['id ASC __order_0']);
  });

  it('appends the key field as the last tie-breaker', () => {
    expect(summary(resolveOrder(flightTable(), [{ delay: 'DESC' }]))).toEqual(['delay DESC __order_0', 'id ASC __order_1']);
  });

  it('appends every compound key field in order', () => {
    expect(summary(resolveOrder(legTable(), [{ origin: 'ASC' }]))).toEqual([
      'origin ASC __order_0',
      'flightId ASC __order_1',
      'seq ASC __order_2',
    ]);
  });

  it('keeps a requested key field in place', () => {
    expect(summary(resolveOrder(legTable(), [{ seq: 'DESC' }]))).toEqual(['seq DESC __order_0', 'flightId ASC __order_1']);
  });

  it('keeps the first direction of a repeated field', () => {
    expect(summary(resolveOrder(flightTable(), [{ delay: 'ASC' }, { delay: 'DESC' }]))).toEqual(['delay ASC __order_0', 'id ASC __order_1']);
  });

  it('ignores null directions in an entry', () => {
    expect(summary(resolveOrder(flightTable(), [{ carrier: null, delay: 'DESC' }]))).toEqual(['delay DESC __order_0', 'id ASC __order_1']);
  });

  it('maps a field to its column and type', () => {
    const [key] = resolveOrder(flightTable(), [{ departedAt: 'ASC' }]);

    expect(key.column).toBe('"departed_at"');
    expect(key.sqlType).toBe('TIMESTAMP');
  });

  it('rejects an entry naming two fields', () => {
    const error = graphQLErrorOf(() => resolveOrder(flightTable(), [{ carrier: 'ASC', delay: 'DESC' }]));

    expect(error.message).toBe('Each orderBy entry must name exactly one field; found 2. Use one entry per field.');
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('rejects an entry naming no field', () => {
    const error = graphQLErrorOf(() => resolveOrder(flightTable(), [{}]));

    expect(error.message).toBe('Each orderBy entry must name exactly one field; found 0. Use one entry per field.');
  });
});

describe('orderSql', () => {
  it('sorts nulls last in both directions', () => {
    const keys = resolveOrder(flightTable(), [{ carrier: 'ASC' }, { delay: 'DESC' }]);

    expect(orderSql(keys)).toBe('"carrier" ASC NULLS LAST, "delay" DESC NULLS LAST, "id" ASC NULLS LAST');
  });
});

describe('encodeCursor and decodeCursor', () => {
  const keys = resolveOrder(flightTable(), [{ delay: 'DESC' }]);

  it('round-trips the row position', () => {
    const cursor = encodeCursor('Flight', keys, { __order_0: 10, __order_1: 'f03', carrier: 'AA' });

    expect(decodeCursor('Flight', keys, cursor)).toEqual([10, 'f03']);
  });

  it('round-trips a null sort value', () => {
    const cursor = encodeCursor('Flight', keys, { __order_0: null, __order_1: 'f02' });

    expect(decodeCursor('Flight', keys, cursor)).toEqual([null, 'f02']);
  });

  it('round-trips a 64-bit integer text exactly', () => {
    const distanceKeys = resolveOrder(flightTable(), [{ distance: 'ASC' }]);
    const cursor = encodeCursor('Flight', distanceKeys, { __order_0: '9007199254740993', __order_1: 'f01' });

    expect(decodeCursor('Flight', distanceKeys, cursor)).toEqual(['9007199254740993', 'f01']);
  });

  it('encodes the cursor as base64url text', () => {
    const cursor = encodeCursor('Flight', keys, { __order_0: 10, __order_1: 'f03' });

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('rejects garbage with INVALID_CURSOR', () => {
    const error = graphQLErrorOf(() => decodeCursor('Flight', keys, 'not-a-cursor'));

    expect(error.message).toBe('The cursor "not-a-cursor" is not a valid cursor; pass an endCursor or edge cursor of this field.');
    expect(error.extensions.code).toBe('INVALID_CURSOR');
  });

  it('shortens a long cursor to 40 characters', () => {
    const garbage = 'x'.repeat(50);
    const error = graphQLErrorOf(() => decodeCursor('Flight', keys, garbage));

    expect(error.message).toBe(`The cursor "${'x'.repeat(40)}…" is not a valid cursor; pass an endCursor or edge cursor of this field.`);
  });

  it('rejects valid JSON that is not a cursor', () => {
    const cursor = Buffer.from('"f03"').toString('base64url');
    const error = graphQLErrorOf(() => decodeCursor('Flight', keys, cursor));

    expect(error.message).toBe(`The cursor "${cursor}" is not a valid cursor; pass an endCursor or edge cursor of this field.`);
  });

  it('rejects a cursor with fewer values than sort keys', () => {
    const cursor = encodeCursor('Flight', resolveOrder(flightTable(), null), { __order_0: 'f03' });
    const error = graphQLErrorOf(() => decodeCursor('Flight', keys, cursor));

    expect(error.extensions.code).toBe('INVALID_CURSOR');
  });

  it('rejects a cursor from another direction with its message', () => {
    const ascending = resolveOrder(flightTable(), [{ delay: 'ASC' }]);
    const cursor = encodeCursor('Flight', ascending, { __order_0: 10, __order_1: 'f03' });
    const error = graphQLErrorOf(() => decodeCursor('Flight', keys, cursor));

    expect(error.message).toBe(ANOTHER_ORDER);
    expect(error.extensions.code).toBe('INVALID_CURSOR');
  });

  it('rejects a cursor from another sort field', () => {
    const byCarrier = resolveOrder(flightTable(), [{ carrier: 'DESC' }]);
    const cursor = encodeCursor('Flight', byCarrier, { __order_0: 'AA', __order_1: 'f03' });

    expect(graphQLErrorOf(() => decodeCursor('Flight', keys, cursor)).message).toBe(ANOTHER_ORDER);
  });

  it('rejects a cursor of another type', () => {
    const cursor = encodeCursor('Leg', keys, { __order_0: 10, __order_1: 'f03' });

    expect(graphQLErrorOf(() => decodeCursor('Flight', keys, cursor)).message).toBe(ANOTHER_ORDER);
  });
});

describe('cursorCondition', () => {
  const keys = resolveOrder(flightTable(), [{ delay: 'DESC' }]);

  it('compares each key after equal earlier keys', () => {
    const params = new ParameterList(duckDbDialect);
    const sql = cursorCondition(keys, [10, 'f03'], params);

    expect(sql).toBe(
      '(("delay" < CAST($1 AS INTEGER) OR "delay" IS NULL)) OR ' +
        '("delay" = CAST($3 AS INTEGER) AND ("id" > CAST($2 AS VARCHAR) OR "id" IS NULL))',
    );
    expect(params.values).toEqual([10, 'f03', 10]);
  });

  it('uses greater-than for an ascending key', () => {
    const ascending = resolveOrder(flightTable(), [{ delay: 'ASC' }]);
    const sql = cursorCondition(ascending, [10, 'f03'], new ParameterList(duckDbDialect));

    expect(sql.startsWith('(("delay" > CAST($1 AS INTEGER) OR "delay" IS NULL))')).toBe(true);
  });

  it('admits only later nulls after a null sort value', () => {
    const params = new ParameterList(duckDbDialect);
    const sql = cursorCondition(keys, [null, 'f02'], params);

    expect(sql).toBe('("delay" IS NULL AND ("id" > CAST($1 AS VARCHAR) OR "id" IS NULL))');
    expect(params.values).toEqual(['f02']);
  });

  it('is FALSE when every cursor value is null', () => {
    expect(cursorCondition(keys, [null, null], new ParameterList(duckDbDialect))).toBe('FALSE');
  });
});
