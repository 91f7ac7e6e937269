import { resolveOrder } from '../../../subgraphs/kit/sql/ordering.js';
import { aggregateStatement, countStatement, entityStatement, pageStatement } from '../../../subgraphs/kit/sql/select.js';
import { flightTable, legTable } from './tables.js';

describe('aggregateStatement', () => {
  it('groups, counts and orders groups with nulls last', () => {
    const statement = aggregateStatement(flightTable(), { groupBy: ['carrier'], aggregates: [{ fn: 'sum', field: 'delay' }], limit: 10 });

    expect(statement.sql).toBe(
      'SELECT "carrier" AS "carrier", count(*) AS "__count", sum("delay") AS "sum__delay" FROM "flights" ' +
        'GROUP BY "carrier" ORDER BY "carrier" ASC NULLS LAST LIMIT 10',
    );
    expect(statement.params).toEqual([]);
  });

  it('returns one ungrouped group without GROUP BY', () => {
    const aggregates = [
      { fn: 'avg', field: 'delay' },
      { fn: 'min', field: 'departedAt' },
      { fn: 'max', field: 'distance' },
    ] as const;
    const statement = aggregateStatement(flightTable(), { groupBy: [], aggregates, limit: 5 });

    expect(statement.sql).toBe(
      'SELECT count(*) AS "__count", avg("delay") AS "avg__delay", min("departed_at") AS "min__departedAt", ' +
        'max("distance") AS "max__distance" FROM "flights" LIMIT 5',
    );
  });

  it('selects a grouped column under its field name', () => {
    const statement = aggregateStatement(flightTable(), { groupBy: ['departedAt', 'carrier'], aggregates: [], limit: 3 });

    expect(statement.sql).toBe(
      'SELECT "departed_at" AS "departedAt", "carrier" AS "carrier", count(*) AS "__count" FROM "flights" ' +
        'GROUP BY "departed_at", "carrier" ORDER BY "departed_at" ASC NULLS LAST, "carrier" ASC NULLS LAST LIMIT 3',
    );
  });

  it('applies the filter in WHERE before grouping', () => {
    const statement = aggregateStatement(flightTable(), { filter: { delay: { gt: 0 } }, groupBy: ['carrier'], aggregates: [], limit: 10 });

    expect(statement.sql).toBe(
      'SELECT "carrier" AS "carrier", count(*) AS "__count" FROM "flights" WHERE ("delay" > CAST($1 AS INTEGER)) ' +
        'GROUP BY "carrier" ORDER BY "carrier" ASC NULLS LAST LIMIT 10',
    );
    expect(statement.params).toEqual([0]);
  });

  it('limits groups per parent with QUALIFY when scoped', () => {
    const statement = aggregateStatement(legTable(), {
      groupBy: ['origin'],
      aggregates: [],
      limit: 5,
      scope: { field: 'flightId', values: ['f01', 'f02'] },
    });

    expect(statement.sql).toBe(
      'SELECT "flight_id" AS "__parent", "origin" AS "origin", count(*) AS "__count" FROM "legs" ' +
        'WHERE ("flight_id" IN (CAST($1 AS VARCHAR), CAST($2 AS VARCHAR))) GROUP BY "flight_id", "origin" ' +
        'QUALIFY row_number() OVER (PARTITION BY "flight_id" ORDER BY "origin" ASC NULLS LAST) <= 5 ' +
        'ORDER BY "flight_id", "origin" ASC NULLS LAST',
    );
    expect(statement.params).toEqual(['f01', 'f02']);
  });
});

describe('entityStatement', () => {
  it('selects single-field keys with one IN list', () => {
    const statement = entityStatement(flightTable(), ['carrier'], [['f01'], ['f02']]);

    expect(statement.sql).toBe(
      'SELECT "carrier" AS "carrier", "id" AS "id" FROM "flights" WHERE "id" IN (CAST($1 AS VARCHAR), CAST($2 AS VARCHAR))',
    );
    expect(statement.params).toEqual(['f01', 'f02']);
  });

  it('selects compound keys with one conjunction each', () => {
    const statement = entityStatement(legTable(), ['origin'], [['f01', 1], ['f02', 2]]);

    expect(statement.sql).toBe(
      'SELECT "origin" AS "origin", "flight_id" AS "flightId", "seq" AS "seq" FROM "legs" WHERE ' +
        '("flight_id" = CAST($1 AS VARCHAR) AND "seq" = CAST($2 AS INTEGER)) OR ' +
        '("flight_id" = CAST($3 AS VARCHAR) AND "seq" = CAST($4 AS INTEGER))',
    );
    expect(statement.params).toEqual(['f01', 1, 'f02', 2]);
  });
});

describe('pageStatement', () => {
  it('selects one row more than the page after the cursor', () => {
    const order = resolveOrder(flightTable(), [{ delay: 'DESC' }]);
    const statement = pageStatement(flightTable(), { fields: ['id', 'delay'], order, after: [7, 'f05'], limit: 4 });

    expect(statement.sql).toBe(
      'SELECT "id" AS "id", "delay" AS "delay", "delay" AS "__order_0", "id" AS "__order_1" FROM "flights" WHERE ' +
        '((("delay" < CAST($1 AS INTEGER) OR "delay" IS NULL)) OR ' +
        '("delay" = CAST($3 AS INTEGER) AND ("id" > CAST($2 AS VARCHAR) OR "id" IS NULL))) ' +
        'ORDER BY "delay" DESC NULLS LAST, "id" ASC NULLS LAST LIMIT 4',
    );
    expect(statement.params).toEqual([7, 'f05', 7]);
  });
});

describe('countStatement', () => {
  it('counts the filtered rows', () => {
    const statement = countStatement(flightTable(), { carrier: { eq: 'AA' } });

    expect(statement.sql).toBe('SELECT count(*) AS "__count" FROM "flights" WHERE ("carrier" = CAST($1 AS VARCHAR))');
    expect(statement.params).toEqual(['AA']);
  });
});
