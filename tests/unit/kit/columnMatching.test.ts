import type { SqlBackend } from '../../../subgraphs/kit/backend.js';
import { createDataProduct } from '../../../subgraphs/kit/engine.js';
import { snowflakeDialect } from '../../../subgraphs/kit/sql/dialect.js';
import { pageStatement } from '../../../subgraphs/kit/sql/select.js';
import { resolveOrder } from '../../../subgraphs/kit/sql/ordering.js';

const SDL = 'type Airport @key(fields: "iata") @table(name: "airports") { iata: String! name: String }';

/** Returns a backend whose sources have the given columns. Only its `describe` is called here. */
function backendWithColumns(columns: Record<string, string>): SqlBackend {
  return {
    kind: 'snowflake',
    dialect: snowflakeDialect,
    statementsRun: 0,
    query: () => Promise.reject(new Error('not used')),
    describe: () => Promise.resolve(new Map(Object.entries(columns))),
    onStatement: () => () => undefined,
    close: () => Promise.resolve(),
  };
}

function open(columns: Record<string, string>) {
  return createDataProduct({ sdl: SDL, backendKind: 'warehouse', backend: backendWithColumns(columns), pagination: { defaultPageSize: 5, maxPageSize: 10 } });
}

describe('column matching', () => {
  it('reads upper-case source columns', async () => {
    const product = await open({ IATA: 'VARCHAR', NAME: 'VARCHAR' });
    const table = product.tables.get('Airport')!;
    const statement = pageStatement(table, { fields: ['name'], filter: { iata: { eq: 'ORD' } }, order: resolveOrder(table, []), limit: 1 });

    expect(statement.sql).toBe(
      'SELECT "NAME" AS "name", "IATA" AS "__order_0" FROM "airports" WHERE ("IATA" = CAST(:1 AS VARCHAR)) ORDER BY "IATA" ASC NULLS LAST LIMIT 1',
    );
  });

  it('prefers the exact spelling', async () => {
    const product = await open({ iata: 'VARCHAR', IATA: 'NUMBER(38,0)', name: 'VARCHAR' });

    expect(product.tables.get('Airport')!.columnTypes.get('iata')).toBe('VARCHAR');
  });

  it('rejects a name two columns match', async () => {
    await expect(open({ Iata: 'VARCHAR', IATA: 'VARCHAR', name: 'VARCHAR' })).rejects.toThrow(
      'Airport.iata: column "iata" matches several columns of source "airports"; its columns are Iata, IATA, name.',
    );
  });
});
