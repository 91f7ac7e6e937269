import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { graphql } from 'graphql';
import type { Statement } from '../../../subgraphs/kit/sql/statement.js';
import { openFlightsSubgraph, type FlightsSubgraph } from './flights.js';

interface Page {
  flights: {
    nodes: Array<{ id: string }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    totalCount: number;
  };
}

const PAGE_QUERY = `
  query Page($orderBy: [FlightOrderBy!], $after: String, $where: FlightFilter, $first: Int) {
    flights(orderBy: $orderBy, after: $after, where: $where, first: $first) {
      nodes { id }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`;

const run = promisify(execFile);

let subgraph: FlightsSubgraph;

beforeAll(async () => {
  subgraph = await openFlightsSubgraph();
});

afterAll(async () => {
  await subgraph.backend.close();
});

async function expectedIds(sql: string): Promise<string[]> {
  return (await subgraph.sql(sql)).map((row) => String(row.id));
}

async function pageThrough(orderBy: unknown[], first: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 50; pages += 1) {
    const data: Page = await subgraph.execute<Page>(PAGE_QUERY, { orderBy, after, first });
    ids.push(...data.flights.nodes.map((node) => node.id));
    if (!data.flights.pageInfo.hasNextPage) return ids;
    after = data.flights.pageInfo.endCursor;
  }
  throw new Error('paging did not reach the last page within 50 pages');
}

describe('Query.flights paging', () => {
  it.each([
    ['delay ASC', [{ delay: 'ASC' }], 'delay ASC NULLS LAST, id'],
    ['delay DESC', [{ delay: 'DESC' }], 'delay DESC NULLS LAST, id'],
    ['carrier ASC, delay DESC', [{ carrier: 'ASC' }, { delay: 'DESC' }], 'carrier ASC NULLS LAST, delay DESC NULLS LAST, id'],
    ['carrier DESC, delay ASC', [{ carrier: 'DESC' }, { delay: 'ASC' }], 'carrier DESC NULLS LAST, delay ASC NULLS LAST, id'],
    ['departedAt DESC', [{ departedAt: 'DESC' }], 'departed_at DESC NULLS LAST, id'],
    ['fare ASC, id DESC', [{ fare: 'ASC' }, { id: 'DESC' }], 'fare ASC NULLS LAST, id DESC'],
    ['distance DESC', [{ distance: 'DESC' }], 'distance DESC NULLS LAST, id'],
    ['the key only', [], 'id'],
  ])('returns every row once in SQL order by %s', async (_name, orderBy, sqlOrder) => {
    const expected = await expectedIds(`SELECT id FROM flights ORDER BY ${sqlOrder}`);

    for (const first of [1, 3, 5]) {
      expect(await pageThrough(orderBy, first)).toEqual(expected);
    }
  });

  it('reports the total count on every page', async () => {
    const data = await subgraph.execute<Page>(PAGE_QUERY, { first: 2 });

    expect(data.flights.totalCount).toBe(12);
  });

  it('ends paging on an exactly full page', async () => {
    const first = await subgraph.execute<Page>(PAGE_QUERY, { first: 6 });
    const second = await subgraph.execute<Page>(PAGE_QUERY, { first: 6, after: first.flights.pageInfo.endCursor });

    expect(second.flights.nodes.map((node) => node.id)).toEqual(['f07', 'f08', 'f09', 'f10', 'f11', 'f12']);
    expect(second.flights.pageInfo.hasNextPage).toBe(false);
  });

  it('rejects a cursor from another orderBy with INVALID_CURSOR', async () => {
    const page = await subgraph.execute<Page>(PAGE_QUERY, { orderBy: [{ delay: 'ASC' }], first: 2 });
    const result = await graphql({
      schema: subgraph.schema,
      source: PAGE_QUERY,
      variableValues: { orderBy: [{ delay: 'DESC' }], first: 2, after: page.flights.pageInfo.endCursor },
      contextValue: {},
    });

    expect(result.errors?.[0].message).toBe('The cursor was issued for another orderBy; request the first page again with this orderBy.');
    expect(result.errors?.[0].extensions.code).toBe('INVALID_CURSOR');
  });

  it('rejects a garbage cursor with INVALID_CURSOR', async () => {
    const result = await graphql({ schema: subgraph.schema, source: PAGE_QUERY, variableValues: { after: 'garbage' }, contextValue: {} });

    expect(result.errors?.[0].extensions.code).toBe('INVALID_CURSOR');
  });

  it('rejects first above the maximum page size', async () => {
    const result = await graphql({ schema: subgraph.schema, source: PAGE_QUERY, variableValues: { first: 101 }, contextValue: {} });

    expect(result.errors?.[0].message).toBe(
      'first is 101 on Query.flights, above the maximum page size of 100; request at most 100 rows and page with after.',
    );
  });
});

describe('Query.flights filters', () => {
  it.each([
    ['eq', { carrier: { eq: 'AA' } }, "carrier = 'AA'"],
    ['ne', { delay: { ne: 10 } }, 'delay <> 10'],
    ['in', { delay: { in: [3, 7] } }, 'delay IN (3, 7)'],
    ['notIn', { delay: { notIn: [10, 0] } }, 'delay NOT IN (10, 0)'],
    ['a range', { delay: { gte: 0, lt: 10 } }, 'delay >= 0 AND delay < 10'],
    ['like', { carrier: { like: 'A%' } }, "carrier LIKE 'A%'"],
    ['like with an escaped percent sign', { carrier: { like: 'A\\%%' } }, "starts_with(carrier, 'A%')"],
    ['like with an underscore', { carrier: { like: '_A' } }, 'length(carrier) = 2 AND suffix(carrier, \'A\')'],
    ['isNull true', { delay: { isNull: true } }, 'delay IS NULL'],
    ['isNull false', { carrier: { isNull: false } }, 'carrier IS NOT NULL'],
    ['or', { or: [{ carrier: { eq: 'CA' } }, { delay: { lte: 0 } }] }, "carrier = 'CA' OR delay <= 0"],
    ['and', { and: [{ carrier: { eq: 'AA' } }, { delay: { lt: 10 } }] }, "carrier = 'AA' AND delay < 10"],
    ['not', { not: { carrier: { eq: 'AA' } } }, "NOT (carrier = 'AA')"],
    ['a BigInt above 2^53', { distance: { gt: '9007199254740993' } }, 'distance > 9007199254740993'],
    ['a Decimal', { fare: { lt: '99.99' } }, 'fare < 99.99'],
    ['a LocalDateTime', { departedAt: { gte: '2001-03-01T12:00:00.123456' } }, "departed_at >= TIMESTAMP '2001-03-01 12:00:00.123456'"],
    ['a DateTime with an offset', { landedAt: { eq: '2001-01-01T07:00:00+02:00' } }, "landed_at = TIMESTAMPTZ '2001-01-01 05:00:00+00'"],
    ['an empty in', { delay: { in: [] } }, 'FALSE'],
    ['an empty notIn', { carrier: { notIn: [] } }, 'TRUE'],
  ])('matches the SQL WHERE rows for %s', async (_name, where, sqlWhere) => {
    const expected = await expectedIds(`SELECT id FROM flights WHERE ${sqlWhere} ORDER BY id`);
    const data = await subgraph.execute<Page>(PAGE_QUERY, { where, first: 100 });

    expect(data.flights.nodes.map((node) => node.id)).toEqual(expected);
    expect(data.flights.totalCount).toBe(expected.length);
  });

  it('matches a string holding SQL literally', async () => {
    const data = await subgraph.execute<Page>(PAGE_QUERY, { where: { carrier: { eq: "x'; DROP TABLE flights; --" } } });

    expect(data.flights.nodes.map((node) => node.id)).toEqual(['f05']);
  });

  it('leaves the table unchanged after SQL in filter values', async () => {
    await subgraph.execute<Page>(PAGE_QUERY, { where: { carrier: { eq: "x'; DROP TABLE flights; --" } } });
    await subgraph.execute<Page>(PAGE_QUERY, { where: { carrier: { like: "%'; DELETE FROM flights; --" } } });
    const rows = await subgraph.sql('SELECT count(*)::INTEGER AS n FROM flights');

    expect(rows[0].n).toBe(12);
  });

  it('rejects a null operand with INVALID_FILTER', async () => {
    const result = await graphql({
      schema: subgraph.schema,
      source: PAGE_QUERY,
      variableValues: { where: { delay: { eq: null } } },
      contextValue: {},
    });

    expect(result.errors?.[0].message).toBe('Filter eq on Flight.delay has a null operand; use isNull to match null values.');
  });
});

interface AggregateGroup {
  key: { carrier: string | null };
  count: number;
  sum: { delay: string | null; seats: string | null; distance: string | null; fare: string | null };
  avg: { delay: number | null; fare: number | null };
  min: { delay: number | null; fare: string | null; departedAt: string | null; carrier: string | null };
  max: { delay: number | null; distance: string | null };
}

const AGGREGATE_QUERY = `
  query Aggregate($groupBy: [FlightGroupField!], $where: FlightFilter, $first: Int) {
    flightsAggregate(groupBy: $groupBy, where: $where, first: $first) {
      key { carrier }
      count
      sum { delay seats distance fare }
      avg { delay fare }
      min { delay fare departedAt carrier }
      max { delay distance }
    }
  }
`;

const AGGREGATE_SQL = `
  count(*)::INTEGER AS count,
  sum(delay)::VARCHAR AS sum_delay, sum(seats)::VARCHAR AS sum_seats,
  sum(distance)::VARCHAR AS sum_distance, sum(fare)::VARCHAR AS sum_fare,
  avg(delay) AS avg_delay, avg(fare)::DOUBLE AS avg_fare,
  min(delay) AS min_delay, min(fare)::VARCHAR AS min_fare,
  replace(min(departed_at)::VARCHAR, ' ', 'T') AS min_departed_at, min(carrier) AS min_carrier,
  max(delay) AS max_delay, max(distance)::VARCHAR AS max_distance
`;

function groupFromSql(row: Record<string, unknown>, carrier: string | null): AggregateGroup {
  return {
    key: { carrier },
    count: row.count as number,
    sum: { delay: row.sum_delay as string, seats: row.sum_seats as string, distance: row.sum_distance as string, fare: row.sum_fare as string },
    avg: { delay: row.avg_delay as number, fare: row.avg_fare as number },
    min: { delay: row.min_delay as number, fare: row.min_fare as string, departedAt: row.min_departed_at as string, carrier: row.min_carrier as string },
    max: { delay: row.max_delay as number, distance: row.max_distance as string },
  };
}

describe('Query.flightsAggregate', () => {
  it('equals plain SQL over the whole table', async () => {
    const [row] = await subgraph.sql(`SELECT ${AGGREGATE_SQL} FROM flights`);
    const data = await subgraph.execute<{ flightsAggregate: AggregateGroup[] }>(AGGREGATE_QUERY);

    expect(data.flightsAggregate).toEqual([groupFromSql(row, null)]);
  });

  it('sums Int past 2^31 as exact BigInt', async () => {
    const data = await subgraph.execute<{ flightsAggregate: AggregateGroup[] }>(AGGREGATE_QUERY);

    expect(data.flightsAggregate[0].sum.seats).toBe('6000000780');
  });

  it('sums BigInt values past 2^53 exactly', async () => {
    const data = await subgraph.execute<{ flightsAggregate: AggregateGroup[] }>(AGGREGATE_QUERY);

    expect(data.flightsAggregate[0].sum.distance).toBe('18014402509482029');
  });

  it('equals plain SQL per group with the null group last', async () => {
    const rows = await subgraph.sql(`SELECT carrier, ${AGGREGATE_SQL} FROM flights GROUP BY carrier ORDER BY carrier ASC NULLS LAST`);
    const data = await subgraph.execute<{ flightsAggregate: AggregateGroup[] }>(AGGREGATE_QUERY, { groupBy: ['carrier'], first: 100 });

    expect(data.flightsAggregate).toEqual(rows.map((row) => groupFromSql(row, row.carrier as string | null)));
  });

  it('equals plain SQL per group under a filter', async () => {
    const rows = await subgraph.sql(
      `SELECT carrier, ${AGGREGATE_SQL} FROM flights WHERE delay IS NOT NULL GROUP BY carrier ORDER BY carrier ASC NULLS LAST`,
    );
    const variables = { groupBy: ['carrier'], where: { delay: { isNull: false } }, first: 100 };
    const data = await subgraph.execute<{ flightsAggregate: AggregateGroup[] }>(AGGREGATE_QUERY, variables);

    expect(data.flightsAggregate).toEqual(rows.map((row) => groupFromSql(row, row.carrier as string | null)));
  });

  it('returns the first groups in group order', async () => {
    const data = await subgraph.execute<{ flightsAggregate: AggregateGroup[] }>(AGGREGATE_QUERY, { groupBy: ['carrier'], first: 2 });

    expect(data.flightsAggregate.map((group) => group.key.carrier)).toEqual(['A%B', 'AA']);
  });

  it('returns an empty group when nothing matches', async () => {
    const data = await subgraph.execute<{ flightsAggregate: AggregateGroup[] }>(AGGREGATE_QUERY, { where: { delay: { gt: 100 } } });

    expect(data.flightsAggregate).toHaveLength(1);
    expect(data.flightsAggregate[0].count).toBe(0);
    expect(data.flightsAggregate[0].sum.seats).toBeNull();
  });
});

const ENTITIES_QUERY = `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Leg { flightId seq origin }
      ... on Flight { id distance fare departedAt landedAt }
    }
  }
`;

async function resolveEntities(representations: unknown[]): Promise<{ entities: unknown[]; statements: Statement[]; delta: number }> {
  const statements: Statement[] = [];
  const stop = subgraph.backend.onStatement((statement) => statements.push(statement));
  const before = subgraph.backend.statementsRun;
  try {
    const data = await subgraph.execute<{ _entities: unknown[] }>(ENTITIES_QUERY, { representations });
    return { entities: data._entities, statements, delta: subgraph.backend.statementsRun - before };
  } finally {
    stop();
  }
}

describe('Query._entities', () => {
  const representations = [
    { __typename: 'Leg', flightId: 'f01', seq: 2 },
    { __typename: 'Leg', flightId: 'f99', seq: 1 },
    { __typename: 'Leg', seq: 2, flightId: 'f01' },
  ];

  it('loads a compound-key batch in one statement', async () => {
    const { delta } = await resolveEntities(representations);

    expect(delta).toBe(1);
  });

  it('sends each key once whatever its field order', async () => {
    const { statements } = await resolveEntities(representations);

    expect(statements.map((statement) => statement.params)).toEqual([['f01', 2, 'f99', 1]]);
  });

  it('answers each position, null for a missing key', async () => {
    const { entities } = await resolveEntities(representations);
    const leg = { flightId: 'f01', seq: 2, origin: 'JFK' };

    expect(entities).toEqual([leg, null, leg]);
  });

  it('returns entity values exactly', async () => {
    const { entities } = await resolveEntities([{ __typename: 'Flight', id: 'f01' }]);

    expect(entities).toEqual([
      { id: 'f01', distance: '9007199254740993', fare: '120.50', departedAt: '2001-01-01T05:00:00', landedAt: '2001-01-01T05:00:00Z' },
    ]);
  });
});

interface TimeZoneReport {
  offsetMinutes: number;
  listed: Array<{ id: string; departedAt: string | null; landedAt: string | null }>;
  filteredIds: string[];
  stored: string[];
}

/** Runs the time zone probe in a child process whose TZ is `zone`. */
async function probeTimeZone(zone: string): Promise<TimeZoneReport> {
  const probe = join(__dirname, 'timeZoneProbe.ts');
  const { stdout } = await run(process.execPath, ['--import', 'tsx', probe], { env: { ...process.env, TZ: zone }, cwd: join(__dirname, '../../..') });
  return JSON.parse(stdout) as TimeZoneReport;
}

describe('JSON columns', () => {
  interface Events {
    events: { nodes: Array<{ id: string; payload: string | null }> };
  }

  it('returns the stored JSON text with every digit', async () => {
    const data = await subgraph.execute<Events>('{ events(orderBy: [{ id: ASC }]) { nodes { id payload } } }');
    const expected = await subgraph.sql('SELECT id, payload::VARCHAR AS payload FROM events ORDER BY id');

    expect(data.events.nodes).toEqual(expected);
  });

  it('filters by isNull', async () => {
    const data = await subgraph.execute<Events>('{ events(where: { payload: { isNull: true } }) { nodes { id payload } } }');

    expect(data.events.nodes).toEqual([{ id: 'e2', payload: null }]);
  });

  it('offers no ordering or grouping by a JSON field', async () => {
    const result = await graphql({
      schema: subgraph.schema,
      source: '{ order: __type(name: "EventOrderBy") { inputFields { name } } group: __type(name: "EventGroupField") { enumValues { name } } }',
    });
    const data = result.data as { order: { inputFields: Array<{ name: string }> }; group: { enumValues: Array<{ name: string }> } };

    expect(data.order.inputFields.map((field) => field.name)).toEqual(['id']);
    expect(data.group.enumValues.map((value) => value.name)).toEqual(['id']);
  });
});

describe('timestamps under another server time zone', () => {
  let report: TimeZoneReport;

  beforeAll(async () => {
    report = await probeTimeZone('Asia/Kolkata');
  });

  it('runs the probe in a zone 5:30 ahead of UTC', () => {
    expect(report.offsetMinutes).toBe(-330);
  });

  it('returns LocalDateTime text equal to the stored wall-clock value', () => {
    expect(report.listed.map((node) => node.departedAt)).toEqual(report.stored);
  });

  it('returns the wall-clock values written in the fixture', () => {
    expect(report.listed.map((node) => node.departedAt)).toEqual(['2001-01-01T05:00:00', '2001-03-01T12:00:00.123456']);
  });

  it('returns a DateTime as the same instant in UTC', () => {
    expect(report.listed.map((node) => node.landedAt)).toEqual(['2001-01-01T05:00:00Z', null]);
  });

  it('filters a LocalDateTime by its wall-clock value', () => {
    expect(report.filteredIds).toEqual(['f01']);
  });
});
