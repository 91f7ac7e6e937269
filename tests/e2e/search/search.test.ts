import { postGraphQL, startTestMesh, type TestMesh } from '../../support/mesh.js';
import { SourceSql } from '../../support/sourceSql.js';

jest.setTimeout(900_000);

interface AirportEntity {
  __typename: string;
  iata: string;
  name: string | null;
  departuresAggregate: Array<{ count: number; avg: { delay: number | null } }>;
}

interface SpeechEntity {
  __typename: string;
  id: string;
  year: number;
  president: string;
}

interface BirdstrikeEntity {
  __typename: string;
  id: number;
  airportName: string | null;
  damage: string | null;
  wildlifeSpecies: string | null;
  originState: string | null;
}

interface Hit<Entity> {
  collection: string;
  snippet: string;
  entity: Entity;
}

const AIRPORT_FIELDS = '__typename ... on Airport { iata name departuresAggregate { count avg { delay } } }';

/** Quotes a string as a SQL literal for the test's own queries over the source files. */
function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

describe('search through the gateway', () => {
  let mesh: TestMesh;
  let sql: SourceSql;

  beforeAll(async () => {
    mesh = await startTestMesh();
    sql = await SourceSql.open();
  });

  afterAll(async () => {
    sql?.close();
    await mesh?.stop();
  });

  async function search<Entity>(query: string): Promise<Array<Hit<Entity>>> {
    const { body } = await postGraphQL(mesh.graphqlUrl, query);
    expect(body.errors).toBeUndefined();
    return (body.data?.search ?? []) as Array<Hit<Entity>>;
  }

  /** Reads name, departure count and mean departure delay of airports straight from the vega-datasets files. */
  async function airportFacts(codes: readonly string[]): Promise<Map<string, { name: string; count: number; avgDelay: number | null }>> {
    const list = codes.map(sqlString).join(', ');
    const rows = await sql.rows(
      `SELECT a.iata, a.name, count(f.origin) AS departures, avg(f.delay) AS avg_delay
       FROM read_csv({airports}, header = true, all_varchar = true) AS a LEFT JOIN {flights} AS f ON f.origin = a.iata
       WHERE a.iata IN (${list}) GROUP BY a.iata, a.name`,
    );
    return new Map(rows.map((row) => [String(row.iata), { name: String(row.name), count: Number(row.departures), avgDelay: row.avg_delay === null ? null : Number(row.avg_delay) }]));
  }

  async function expectAirportsMatchSources(hits: Array<Hit<AirportEntity>>): Promise<void> {
    const facts = await airportFacts(hits.map((hit) => hit.entity.iata));
    for (const hit of hits) {
      const expected = facts.get(hit.entity.iata);
      expect(hit.entity.__typename).toBe('Airport');
      expect(hit.entity.name).toBe(expected?.name);
      expect(hit.entity.departuresAggregate[0].count).toBe(expected?.count);
      const expectedDelay = expected?.avgDelay ?? null;
      if (expectedDelay === null) {
        expect(hit.entity.departuresAggregate[0].avg.delay).toBeNull();
      } else {
        expect(hit.entity.departuresAggregate[0].avg.delay).toBeCloseTo(expectedDelay, 6);
      }
    }
  }

  it('joins airport hits with warehouse names and lake delays', async () => {
    const hits = await search<AirportEntity>(`{ search(query: "Chicago O'Hare International Chicago IL", collections: ["airports"], first: 3) { collection snippet entity { ${AIRPORT_FIELDS} } } }`);
    expect(hits).toHaveLength(3);
    expect(hits[0].entity.iata).toBe('ORD');
    await expectAirportsMatchSources(hits);
  });

  it('finds Chicago airports for a plain-language question', async () => {
    const hits = await search<AirportEntity>(
      `{ search(query: "thunderstorms delaying departures in Chicago", collections: ["airports"], first: 5) { collection snippet entity { ${AIRPORT_FIELDS} } } }`,
    );
    expect(hits).toHaveLength(5);
    const chicago = await sql.rows(`SELECT iata FROM read_csv({airports}, header = true, all_varchar = true) WHERE city = 'Chicago'`);
    const chicagoCodes = chicago.map((row) => String(row.iata));
    expect(chicagoCodes).toContain(hits[0].entity.iata);
    await expectAirportsMatchSources(hits);
  });

  it('keeps every speech hit inside the year filter', async () => {
    const hits = await search<SpeechEntity>(
      `{ search(query: "the union and the war", collections: ["speeches"], where: { year: { gte: 1861, lte: 1865 } }, first: 20) {
          collection entity { __typename ... on SpeechPassage { id year president } } } }`,
    );
    expect(hits).toHaveLength(20);
    for (const hit of hits) {
      expect(hit.entity.__typename).toBe('SpeechPassage');
      expect(hit.entity.year).toBeGreaterThanOrEqual(1861);
      expect(hit.entity.year).toBeLessThanOrEqual(1865);
      expect(hit.entity.id.startsWith(`${hit.entity.year}-`)).toBe(true);
    }
  });

  it('resolves bird strike hits to lake fields', async () => {
    const hits = await search<BirdstrikeEntity>(
      `{ search(query: "Canada goose substantial damage", collections: ["birdstrikes"], first: 3) {
          collection entity { __typename ... on Birdstrike { id airportName damage wildlifeSpecies originState } } } }`,
    );
    expect(hits).toHaveLength(3);
    const ids = hits.map((hit) => hit.entity.id).join(', ');
    const rows = await sql.rows(
      `SELECT id, "Airport Name" AS airport, "Effect Amount of damage" AS damage, "Wildlife Species" AS species, "Origin State" AS state
       FROM (SELECT row_number() OVER () AS id, * FROM read_csv({birdstrikes}, header = true, all_varchar = true)) WHERE id IN (${ids})`,
    );
    const byId = new Map(rows.map((row) => [Number(row.id), row]));
    for (const hit of hits) {
      const row = byId.get(hit.entity.id);
      expect(hit.collection).toBe('birdstrikes');
      expect(hit.entity.__typename).toBe('Birdstrike');
      expect(hit.entity.airportName).toBe(row?.airport);
      expect(hit.entity.damage).toBe(row?.damage);
      expect(hit.entity.wildlifeSpecies).toBe(row?.species);
      expect(hit.entity.originState).toBe(row?.state);
    }
  });
});
