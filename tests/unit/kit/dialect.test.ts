import { bigQueryDialect, snowflakeDialect } from '../../../subgraphs/kit/sql/dialect.js';
import { resolveOrder } from '../../../subgraphs/kit/sql/ordering.js';
import { aggregateStatement, pageStatement } from '../../../subgraphs/kit/sql/select.js';
import { flightTable } from './tables.js';

describe('BigQuery dialect', () => {
  const table = { ...flightTable([], bigQueryDialect), from: '`proj`.`ds`.`flights`' };

  it('quotes with backticks, binds named parameters', () => {
    const statement = pageStatement(table, { fields: ['carrier'], filter: { delay: { gt: 5 } }, order: resolveOrder(table, []), limit: 3 });

    expect(statement.sql).toBe(
      'SELECT `carrier` AS `carrier`, `id` AS `__order_0` FROM `proj`.`ds`.`flights` ' +
        'WHERE (`delay` > CAST(@p1 AS INTEGER)) ORDER BY `id` ASC NULLS LAST LIMIT 3',
    );
    expect(statement.params).toEqual([5]);
  });

  it('writes LIKE without an ESCAPE clause', () => {
    const statement = aggregateStatement(table, { filter: { carrier: { like: 'A\\_%' } }, groupBy: [], aggregates: [], limit: 1 });

    expect(statement.sql).toBe('SELECT count(*) AS `__count` FROM `proj`.`ds`.`flights` WHERE (`carrier` LIKE CAST(@p1 AS STRING)) LIMIT 1');
    expect(statement.params).toEqual(['A\\_%']);
  });

  it('escapes a backtick inside a name', () => {
    expect(bigQueryDialect.quoteIdentifier('odd`name')).toBe('`odd\\`name`');
  });
});

describe('Snowflake dialect', () => {
  const table = { ...flightTable([], snowflakeDialect), from: '"DB"."PUBLIC"."flights"' };

  it('numbers binds in parameter order', () => {
    const statement = pageStatement(table, {
      fields: ['carrier'],
      filter: { carrier: { in: ['AA', 'UA'] } },
      order: resolveOrder(table, []),
      limit: 2,
      scope: { field: 'delay', values: [1, 2] },
    });

    expect(statement.sql).toContain('WHERE ("carrier" IN (CAST(:1 AS VARCHAR), CAST(:2 AS VARCHAR))) AND ("delay" IN (CAST(:3 AS INTEGER), CAST(:4 AS INTEGER)))');
    expect(statement.params).toEqual(['AA', 'UA', 1, 2]);
  });

  it('doubles the backslash of ESCAPE', () => {
    const statement = aggregateStatement(table, { filter: { carrier: { like: 'A%' } }, groupBy: [], aggregates: [], limit: 1 });

    expect(statement.sql).toContain(`"carrier" LIKE CAST(:1 AS VARCHAR) ESCAPE '\\\\'`);
  });
});
