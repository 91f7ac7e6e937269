import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../ops/bench/coldStart.js';
import { postGraphQL, startTestMesh, type TestMesh } from '../support/mesh.js';
import { SourceSql } from '../support/sourceSql.js';

let mesh: TestMesh;
let sql: SourceSql;

beforeAll(async () => {
  sql = await SourceSql.open();
  mesh = await startTestMesh();
}, 180_000);

afterAll(async () => {
  await mesh?.stop();
  sql?.close();
});

const EXAMPLE_QUERY = `{
  flights(where: { origin: { eq: "SFO" }, delay: { gte: 300 } },
          orderBy: [{ delay: DESC }], first: 2) {
    totalCount
    nodes { date delay destination { iata city state } }
  }
  flightsAggregate(where: { origin: { eq: "ORD" } }) { count avg { delay } max { delay } }
  airport(iata: "DEN") { name city }
}`;

describe('gateway on the real flights', () => {
  it('answers the example query across both subgraphs', async () => {
    const { status, body } = await postGraphQL(mesh.graphqlUrl, EXAMPLE_QUERY);
    const [count] = await sql.rows("SELECT count(*) AS n FROM {flights} WHERE origin = 'SFO' AND delay >= 300");
    const top = await sql.rows(
      "SELECT strftime(f.date, '%Y-%m-%dT%H:%M:%S') AS date, f.delay, a.iata, a.city, a.state " +
        "FROM {flights} f JOIN {airports} a ON a.iata = f.destination WHERE f.origin = 'SFO' AND f.delay >= 300 " +
        'ORDER BY f.delay DESC, f.file_row_number LIMIT 2',
    );
    const [ord] = await sql.rows("SELECT count(*) AS n, avg(delay) AS avg, max(delay) AS max FROM {flights} WHERE origin = 'ORD'");
    const [den] = await sql.rows("SELECT name, city FROM {airports} WHERE iata = 'DEN'");

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const data = body.data as {
      flights: { totalCount: number; nodes: Array<{ date: string; delay: number; destination: { iata: string; city: string; state: string } }> };
      flightsAggregate: Array<{ count: number; avg: { delay: number }; max: { delay: number } }>;
      airport: { name: string; city: string };
    };
    expect(data.flights.totalCount).toBe(Number(count.n));
    expect(data.flights.nodes).toEqual(
      top.map((row) => ({ date: row.date, delay: Number(row.delay), destination: { iata: row.iata, city: row.city, state: row.state } })),
    );
    expect(data.flightsAggregate).toHaveLength(1);
    expect(data.flightsAggregate[0].count).toBe(Number(ord.n));
    expect(data.flightsAggregate[0].avg.delay).toBeCloseTo(Number(ord.avg), 9);
    expect(data.flightsAggregate[0].max.delay).toBe(Number(ord.max));
    expect(data.airport).toEqual({ name: den.name, city: den.city });
  });

  it('pages through every row once in order', async () => {
    const expected = await sql.rows("SELECT file_row_number + 1 AS id FROM {flights} WHERE origin = 'ABE' ORDER BY delay DESC, file_row_number");
    const ids: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const { body } = await postGraphQL(
        mesh.graphqlUrl,
        'query Page($after: String) { flights(where: { origin: { eq: "ABE" } }, orderBy: [{ delay: DESC }], first: 250, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      const connection = (body.data as { flights: { nodes: Array<{ id: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }).flights;
      ids.push(...connection.nodes.map((node) => node.id));
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
      pages += 1;
    } while (after);

    expect(pages).toBe(Math.ceil(expected.length / 250));
    expect(ids).toEqual(expected.map((row) => String(row.id)));
  });

  it('returns sums wider than Int as exact BigInt strings', async () => {
    const { body } = await postGraphQL(mesh.graphqlUrl, '{ flightsAggregate { count sum { distance delay } } }');
    const [expected] = await sql.rows('SELECT count(*) AS n, sum(distance) AS distance, sum(delay) AS delay FROM {flights}');
    const group = (body.data as { flightsAggregate: Array<{ count: number; sum: { distance: string; delay: string } }> }).flightsAggregate[0];

    expect(BigInt(expected.distance as string)).toBeGreaterThan(2n ** 31n);
    expect(group.sum.distance).toBe(expected.distance);
    expect(group.sum.delay).toBe(expected.delay);
    expect(group.count).toBe(Number(expected.n));
  });

  it('keeps wall-clock timestamps as stored', async () => {
    const { body } = await postGraphQL(mesh.graphqlUrl, '{ flight(id: "1") { id date } }');
    const [first] = await sql.rows("SELECT strftime(date, '%Y-%m-%dT%H:%M:%S') AS date FROM {flights} WHERE file_row_number = 0");
    expect(body.data).toEqual({ flight: { id: '1', date: first.date } });
  });

  it('groups lake rows by a warehouse entity', async () => {
    const { body } = await postGraphQL(
      mesh.graphqlUrl,
      '{ flightsAggregate(where: { origin: { eq: "DEN" } }, groupBy: [destination], first: 3) { key { destination { iata name } } count } }',
    );
    const expected = await sql.rows(
      "SELECT f.destination AS iata, a.name, count(*) AS n FROM {flights} f LEFT JOIN {airports} a ON a.iata = f.destination " +
        "WHERE f.origin = 'DEN' GROUP BY ALL ORDER BY f.destination LIMIT 3",
    );
    const groups = (body.data as { flightsAggregate: Array<{ key: { destination: { iata: string; name: string } }; count: number }> }).flightsAggregate;
    expect(groups).toEqual(expected.map((row) => ({ key: { destination: { iata: row.iata, name: row.name } }, count: Number(row.n) })));
  });

  it('resolves 100 airports with one warehouse statement', async () => {
    const statements = async () => {
      const text = await (await fetch(`${mesh.serviceUrl('warehouse')}/metrics`)).text();
      const line = text.split('\n').find((candidate) => candidate.startsWith('meshgate_backend_statements_total'));
      return Number(line?.split(' ').pop());
    };
    const before = await statements();
    const { body } = await postGraphQL(mesh.graphqlUrl, '{ flightsAggregate(groupBy: [destination], first: 100) { key { destination { name } } } }');
    const after = await statements();
    const groups = (body.data as { flightsAggregate: Array<{ key: { destination: { name: string | null } } }> }).flightsAggregate;

    expect(groups).toHaveLength(100);
    expect(after - before).toBe(1);
  });

  it('lists the lake catalog', async () => {
    const { body } = await postGraphQL(mesh.graphqlUrl, '{ datasets { name format partitions partitionCount rowCount columns { name type } } }');
    const [months] = await sql.rows("SELECT count(DISTINCT strftime(date, '%Y-%m')) AS n FROM {flights}");
    const [strikes] = await sql.rows('SELECT count(*) AS n FROM {birdstrikes}');
    const datasets = (body.data as { datasets: Array<{ name: string; format: string; partitions: string[]; partitionCount: number; rowCount: string; columns: unknown[] }> })
      .datasets;
    const flights = datasets.find((dataset) => dataset.name === 'flights');
    const birdstrikes = datasets.find((dataset) => dataset.name === 'birdstrikes');

    expect(flights).toMatchObject({ format: 'parquet', partitions: ['month'], partitionCount: Number(months.n), rowCount: '3000000' });
    expect(birdstrikes).toMatchObject({ format: 'csv', partitions: [], rowCount: String(strikes.n) });
    expect(birdstrikes?.columns).toContainEqual({ name: 'Flight Date', type: 'DATE' });
  });
});

describe('gateway on bad input', () => {
  it('rejects an unknown field with 400', async () => {
    const { status, body } = await postGraphQL(mesh.graphqlUrl, '{ flights { nope } }');
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0].message).toBe('Cannot query field "nope" on type "FlightConnection". Did you mean "nodes"?');
  });

  it('rejects a filter value of the wrong type with 400', async () => {
    const { status, body } = await postGraphQL(mesh.graphqlUrl, '{ flights(where: { delay: { gte: "late" } }) { totalCount } }');
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('rejects first above the maximum with its limit', async () => {
    const { body } = await postGraphQL(mesh.graphqlUrl, '{ flights(first: 1001) { totalCount } }');
    expect(body.data).toBeNull();
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'PAGE_SIZE_TOO_LARGE', maximum: 1000, requested: 1001 });
    expect(body.errors?.[0].message).toBe(
      'first is 1001 on Query.flights, above the maximum page size of 1000; request at most 1000 rows and page with after.',
    );
  });

  it('names the group limit of an aggregate', async () => {
    const { body } = await postGraphQL(mesh.graphqlUrl, '{ flightsAggregate(groupBy: [origin], first: 5000) { count } }');
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'PAGE_SIZE_TOO_LARGE', maximum: 1000 });
    expect(body.errors?.[0].message).toBe(
      'first is 5000 on Query.flightsAggregate, above the maximum of 1000 groups; request at most 1000 groups, or group by fewer fields or narrow where.',
    );
  });

  it('rejects a malformed scalar literal with 400', async () => {
    const { status, body } = await postGraphQL(mesh.graphqlUrl, '{ flights(where: { date: { gte: "2001-04-11" } }) { totalCount } }');
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0].message).toBe('LocalDateTime cannot represent "2001-04-11": expected a date and time without offset, YYYY-MM-DDTHH:MM:SS.');
  });

  it('rejects an impossible date variable with 400', async () => {
    const query = 'query ($from: LocalDateTime) { flights(where: { date: { gte: $from } }) { totalCount } }';
    const { status, body } = await postGraphQL(mesh.graphqlUrl, query, { from: '2001-13-45T00:00:00' });
    expect(status).toBe(400);
    expect(body.errors?.[0].message).toContain('LocalDateTime cannot represent "2001-13-45T00:00:00"');
  });

  it('passes a subgraph field error through with its code', async () => {
    const { status, body } = await postGraphQL(mesh.graphqlUrl, '{ search(query: "delays", collections: ["nope"]) { score } }');
    expect(status).toBe(200);
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'COLLECTION_NOT_FOUND', serviceName: 'vector' });
  });

  it('rejects a negative first', async () => {
    const { body } = await postGraphQL(mesh.graphqlUrl, '{ flights(first: -1) { totalCount } }');
    expect(body.errors?.[0].extensions?.code).toBe('INVALID_PAGE_SIZE');
  });

  it('rejects a forged cursor', async () => {
    const forged = Buffer.from(JSON.stringify({ o: 'other', v: [1, '2'] })).toString('base64url');
    const garbage = await postGraphQL(mesh.graphqlUrl, '{ flights(first: 1, after: "not a cursor") { totalCount } }');
    const foreign = await postGraphQL(mesh.graphqlUrl, `{ flights(first: 1, orderBy: [{ delay: DESC }], after: "${forged}") { totalCount } }`);
    expect(garbage.body.errors?.[0].extensions?.code).toBe('INVALID_CURSOR');
    expect(foreign.body.errors?.[0].extensions?.code).toBe('INVALID_CURSOR');
  });

  it('matches SQL in a string filter literally', async () => {
    const probe = "SFO' OR '1'='1";
    const { body } = await postGraphQL(mesh.graphqlUrl, 'query ($origin: String) { flights(where: { origin: { eq: $origin } }) { totalCount } }', {
      origin: probe,
    });
    const dropped = await postGraphQL(mesh.graphqlUrl, '{ flights(where: { origin: { like: "%\'; DROP TABLE flights; --" } }) { totalCount } }');
    const after = await postGraphQL(mesh.graphqlUrl, '{ flights { totalCount } }');
    expect(body.data).toEqual({ flights: { totalCount: 0 } });
    expect(dropped.body.data).toEqual({ flights: { totalCount: 0 } });
    expect(after.body.data).toEqual({ flights: { totalCount: 3000000 } });
  });

  it('rejects a body that is not JSON with 400', async () => {
    const response = await fetch(mesh.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(response.status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('never sends a stack trace', async () => {
    const queries = ['{ flights(first: -1) { totalCount } }', '{ flights(first: 1, after: "x") { totalCount } }', '{ nope }'];
    for (const query of queries) {
      const { body } = await postGraphQL(mesh.graphqlUrl, query);
      expect(JSON.stringify(body)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
    }
  });

  it('answers health and readiness and 404 elsewhere', async () => {
    const base = mesh.mesh.gateway.url;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
  });
});

describe('meshgate serve', () => {
  it('stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const bin = path.join(__dirname, '..', '..', 'bin', 'meshgate');
    const env = { ...process.env, MESHGATE_DATA_DIR: mesh.dataDir, MESHGATE_SUBGRAPHS__WAREHOUSE__PORT: String(port) };
    const child = spawn(process.execPath, [bin, 'serve', 'warehouse'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    let ready = false;
    for (let attempt = 0; attempt < 200 && !ready; attempt += 1) {
      ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((response) => response.ok, () => false);
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill('SIGTERM');

    expect(ready).toBe(true);
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"shutdown requested"');
    expect(output).toContain('"msg":"service stopped"');
  });
});
