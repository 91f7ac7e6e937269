import { duckDbDialect } from '../../../subgraphs/kit/sql/dialect.js';
import { compileFilter, compilePartitionPruning, type FilterInput } from '../../../subgraphs/kit/sql/filter.js';
import { ParameterList } from '../../../subgraphs/kit/sql/statement.js';
import { flightTable, graphQLErrorOf, MONTH_PARTITION } from './tables.js';

function compile(filter: FilterInput | null | undefined): { sql: string; params: unknown[] } {
  const params = new ParameterList(duckDbDialect);
  const sql = compileFilter(flightTable(), filter, params);
  return { sql, params: params.values };
}

function prune(filter: FilterInput | null | undefined): { conditions: string[]; params: unknown[] } {
  const params = new ParameterList(duckDbDialect);
  const conditions = compilePartitionPruning(flightTable([MONTH_PARTITION]), filter, params);
  return { conditions, params: params.values };
}

describe('compileFilter', () => {
  it.each([
    ['eq', '='],
    ['ne', '<>'],
    ['lt', '<'],
    ['lte', '<='],
    ['gt', '>'],
    ['gte', '>='],
  ])('compiles %s to the %s comparison with a cast parameter', (operator, sqlOperator) => {
    const { sql, params } = compile({ delay: { [operator]: 15 } });

    expect(sql).toBe(`"delay" ${sqlOperator} CAST($1 AS INTEGER)`);
    expect(params).toEqual([15]);
  });

  it('compiles in to a parameterised IN list', () => {
    const { sql, params } = compile({ carrier: { in: ['AA', 'BA'] } });

    expect(sql).toBe('"carrier" IN (CAST($1 AS VARCHAR), CAST($2 AS VARCHAR))');
    expect(params).toEqual(['AA', 'BA']);
  });

  it('compiles notIn to a NOT IN list', () => {
    const { sql, params } = compile({ carrier: { notIn: ['AA'] } });

    expect(sql).toBe('"carrier" NOT IN (CAST($1 AS VARCHAR))');
    expect(params).toEqual(['AA']);
  });

  it('compiles an empty in to FALSE without parameters', () => {
    const { sql, params } = compile({ carrier: { in: [] } });

    expect(sql).toBe('FALSE');
    expect(params).toEqual([]);
  });

  it('compiles an empty notIn to TRUE without parameters', () => {
    const { sql, params } = compile({ carrier: { notIn: [] } });

    expect(sql).toBe('TRUE');
    expect(params).toEqual([]);
  });

  it('parameterises like with a backslash ESCAPE', () => {
    const { sql, params } = compile({ carrier: { like: "A%'; DROP TABLE flights; --" } });

    expect(sql).toBe(`"carrier" LIKE CAST($1 AS VARCHAR) ESCAPE '\\'`);
    expect(params).toEqual(["A%'; DROP TABLE flights; --"]);
  });

  it('compiles isNull true to IS NULL', () => {
    expect(compile({ carrier: { isNull: true } }).sql).toBe('"carrier" IS NULL');
  });

  it('compiles isNull false to IS NOT NULL', () => {
    expect(compile({ carrier: { isNull: false } }).sql).toBe('"carrier" IS NOT NULL');
  });

  it('uses the mapped column name, not the field name', () => {
    const { sql } = compile({ departedAt: { gte: '2001-01-01T00:00:00' } });

    expect(sql).toBe('"departed_at" >= CAST($1 AS TIMESTAMP)');
  });

  it('combines several operators on one field with AND', () => {
    const { sql, params } = compile({ delay: { gte: 3, lt: 10 } });

    expect(sql).toBe('("delay" >= CAST($1 AS INTEGER)) AND ("delay" < CAST($2 AS INTEGER))');
    expect(params).toEqual([3, 10]);
  });

  it('combines several fields of one object with AND', () => {
    const { sql } = compile({ carrier: { eq: 'AA' }, delay: { gt: 5 } });

    expect(sql).toBe('("carrier" = CAST($1 AS VARCHAR)) AND ("delay" > CAST($2 AS INTEGER))');
  });

  it('combines and items with AND', () => {
    const { sql, params } = compile({ and: [{ carrier: { eq: 'AA' } }, { delay: { gt: 5 } }] });

    expect(sql).toBe('("carrier" = CAST($1 AS VARCHAR)) AND ("delay" > CAST($2 AS INTEGER))');
    expect(params).toEqual(['AA', 5]);
  });

  it('combines or items with OR', () => {
    const { sql, params } = compile({ or: [{ carrier: { eq: 'AA' } }, { delay: { isNull: true } }] });

    expect(sql).toBe('("carrier" = CAST($1 AS VARCHAR)) OR ("delay" IS NULL)');
    expect(params).toEqual(['AA']);
  });

  it('wraps not in NOT with parentheses', () => {
    const { sql } = compile({ not: { carrier: { eq: 'AA' }, delay: { gt: 5 } } });

    expect(sql).toBe('NOT (("carrier" = CAST($1 AS VARCHAR)) AND ("delay" > CAST($2 AS INTEGER)))');
  });

  it('parenthesises an or nested in and', () => {
    const { sql } = compile({ and: [{ or: [{ delay: { lt: 0 } }, { delay: { gt: 9 } }] }, { carrier: { eq: 'AA' } }] });

    expect(sql).toBe('(("delay" < CAST($1 AS INTEGER)) OR ("delay" > CAST($2 AS INTEGER))) AND ("carrier" = CAST($3 AS VARCHAR))');
  });

  it('compiles an empty or to FALSE', () => {
    expect(compile({ or: [] }).sql).toBe('FALSE');
  });

  it('compiles an empty and to TRUE', () => {
    expect(compile({ and: [] }).sql).toBe('TRUE');
  });

  it('compiles a missing filter to TRUE', () => {
    expect(compile(null).sql).toBe('TRUE');
  });

  it('compiles an empty filter object to TRUE', () => {
    expect(compile({}).sql).toBe('TRUE');
  });

  it('ignores a field whose filter is null', () => {
    expect(compile({ carrier: null, delay: { eq: 1 } }).sql).toBe('"delay" = CAST($1 AS INTEGER)');
  });

  it('rejects a null operand with INVALID_FILTER', () => {
    const error = graphQLErrorOf(() => compile({ carrier: { eq: null } }));

    expect(error.message).toBe('Filter eq on Flight.carrier has a null operand; use isNull to match null values.');
    expect(error.extensions.code).toBe('INVALID_FILTER');
    expect(error.extensions.coordinate).toBe('Flight.carrier');
  });

  it('rejects a null in list like any null operand', () => {
    const error = graphQLErrorOf(() => compile({ delay: { in: null } }));

    expect(error.message).toBe('Filter in on Flight.delay has a null operand; use isNull to match null values.');
  });

  it('rejects an unknown operator naming it', () => {
    const error = graphQLErrorOf(() => compile({ delay: { between: [1, 2] } as FilterInput['delay'] }));

    expect(error.message).toBe('Unknown filter operator "between" on Flight.delay.');
    expect(error.extensions.code).toBe('INVALID_FILTER');
  });

  it('rejects an unknown field with BAD_USER_INPUT', () => {
    const error = graphQLErrorOf(() => compile({ gate: { eq: 'B12' } }));

    expect(error.message).toBe('Flight has no field "gate".');
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('compilePartitionPruning', () => {
  it('bounds the partition from a source range', () => {
    const { conditions, params } = prune({ departedAt: { gte: '2001-01-15T00:00:00', lt: '2001-03-01T00:00:00' } });

    expect(conditions).toEqual([
      `"month" >= strftime(CAST($1 AS TIMESTAMP), '%Y-%m')`,
      `"month" <= strftime(CAST($2 AS TIMESTAMP), '%Y-%m')`,
    ]);
    expect(params).toEqual(['2001-01-15T00:00:00', '2001-03-01T00:00:00']);
  });

  it('widens strict bounds to inclusive ones', () => {
    const { conditions } = prune({ departedAt: { gt: '2001-01-31T23:00:00', lte: '2001-02-01T00:00:00' } });

    expect(conditions).toEqual([
      `"month" >= strftime(CAST($1 AS TIMESTAMP), '%Y-%m')`,
      `"month" <= strftime(CAST($2 AS TIMESTAMP), '%Y-%m')`,
    ]);
  });

  it('derives an equality from eq', () => {
    expect(prune({ departedAt: { eq: '2001-02-01T00:00:00' } }).conditions).toEqual([`"month" = strftime(CAST($1 AS TIMESTAMP), '%Y-%m')`]);
  });

  it('derives an IN list from in', () => {
    const { conditions } = prune({ departedAt: { in: ['2001-01-01T00:00:00', '2001-05-01T00:00:00'] } });

    expect(conditions).toEqual([`"month" IN (strftime(CAST($1 AS TIMESTAMP), '%Y-%m'), strftime(CAST($2 AS TIMESTAMP), '%Y-%m'))`]);
  });

  it('derives nothing from an empty in', () => {
    expect(prune({ departedAt: { in: [] } }).conditions).toEqual([]);
  });

  it('derives nothing from ne, notIn and isNull', () => {
    const filter = { departedAt: { ne: '2001-01-01T00:00:00', notIn: ['2001-02-01T00:00:00'], isNull: false } };

    expect(prune(filter).conditions).toEqual([]);
  });

  it('derives bounds from conjuncts nested in and', () => {
    const { conditions } = prune({ and: [{ carrier: { eq: 'AA' } }, { and: [{ departedAt: { gte: '2001-04-01T00:00:00' } }] }] });

    expect(conditions).toEqual([`"month" >= strftime(CAST($1 AS TIMESTAMP), '%Y-%m')`]);
  });

  it('derives nothing from a range under or', () => {
    const filter = { or: [{ departedAt: { gte: '2001-04-01T00:00:00' } }, { carrier: { eq: 'AA' } }] };

    expect(prune(filter).conditions).toEqual([]);
  });

  it('derives nothing from a range under not', () => {
    expect(prune({ not: { departedAt: { lt: '2001-04-01T00:00:00' } } }).conditions).toEqual([]);
  });

  it('derives nothing from or inside and', () => {
    const filter = { and: [{ or: [{ departedAt: { gte: '2001-04-01T00:00:00' } }, { delay: { gt: 1 } }] }] };

    expect(prune(filter).conditions).toEqual([]);
  });

  it('derives nothing for a table without partitions', () => {
    const params = new ParameterList(duckDbDialect);

    expect(compilePartitionPruning(flightTable(), { departedAt: { eq: '2001-01-01T00:00:00' } }, params)).toEqual([]);
  });

  it('derives nothing from filters on other columns', () => {
    expect(prune({ delay: { gte: 1 } }).conditions).toEqual([]);
  });
});
