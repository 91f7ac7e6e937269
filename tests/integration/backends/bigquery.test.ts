import { execFile } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { bigQueryBackendSchema } from '../../../core/config/sections/bigquery.js';
import { createLogger } from '../../../core/logger.js';
import { openBigQueryBackend } from '../../../subgraphs/kit/backends/bigquery.js';
import type { Statement } from '../../../subgraphs/kit/sql/statement.js';
import type { RunnerReport, RunnerStep, StepOutcome } from './bigQueryRunner.js';
import { FakeBigQuery, pageToken, type FakeField, type RecordedRequest } from './fakeBigQuery.js';

const run = promisify(execFile);
const ROOT = join(__dirname, '../../..');
const RUNNER = join(__dirname, 'bigQueryRunner.ts');

const TOKEN_ENV = 'MESHGATE_TEST_BIGQUERY_TOKEN';
const TOKEN = 'ya29.test-token-for-the-fake';
const BIGQUERY_SCOPE = 'https://www.googleapis.com/auth/bigquery';

/** Configuration of a backend that talks to `fake` with the test access token. */
function backendConfig(fake: FakeBigQuery, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'bigquery',
    projectId: 'mesh-project',
    dataset: 'flights',
    location: 'EU',
    apiEndpoint: fake.url,
    accessTokenEnv: TOKEN_ENV,
    maxRetries: 0,
    timeoutMs: 10_000,
    ...overrides,
  };
}

/**
 * Runs the backend in a child process with only the environment it needs. `GCE_METADATA_HOST`
 * points at the fake, so a metadata-server lookup would stay on 127.0.0.1 and be recorded there.
 */
async function runBackend(fake: FakeBigQuery, config: Record<string, unknown>, steps: RunnerStep[], env: Record<string, string> = {}): Promise<RunnerReport> {
  const environment = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', GCE_METADATA_HOST: fake.host, NO_PROXY: '127.0.0.1', [TOKEN_ENV]: TOKEN, ...env };
  const { stdout } = await run(process.execPath, ['--import', 'tsx', RUNNER, JSON.stringify({ config, steps })], { env: environment, cwd: ROOT });
  return JSON.parse(stdout) as RunnerReport;
}

function query(sql: string, params: unknown[] = []): RunnerStep {
  return { operation: 'query', statement: { sql, params } };
}

/** Finds the `jobs.insert` request of `sql`. */
function insertOf(fake: FakeBigQuery, sql: string): RecordedRequest {
  const insert = fake.requestsTo('POST', 'jobs').find((request) => jobBody(request).configuration.query.query === sql);
  if (insert === undefined) throw new Error(`no job inserted for ${sql}`);
  return insert;
}

interface JobBody {
  configuration: { dryRun?: boolean; jobTimeoutMs?: string; query: Record<string, unknown> & { query: string } };
  jobReference: { projectId: string; jobId: string; location: string };
}

function jobBody(request: RecordedRequest): JobBody {
  return request.body as JobBody;
}

function jobIdOf(fake: FakeBigQuery, sql: string): string {
  return jobBody(insertOf(fake, sql)).jobReference.jobId;
}

function resultRequests(fake: FakeBigQuery, jobId: string): RecordedRequest[] {
  return fake.requestsTo('GET', `queries/${jobId}`);
}

function metadataRequests(fake: FakeBigQuery): RecordedRequest[] {
  return fake.requests.filter((request) => request.path.startsWith('/computeMetadata'));
}

function errorOf(outcome: StepOutcome): NonNullable<StepOutcome['error']> {
  if (outcome.error === undefined) throw new Error(`expected an error, got ${JSON.stringify(outcome)}`);
  return outcome.error;
}

describe('BigQueryBackend query job', () => {
  const sql =
    'SELECT `id` FROM `mesh-project`.`flights`.`legs` WHERE `origin` = CAST(@p1 AS STRING) AND `seq` > CAST(@p2 AS INT64) ' +
    'AND `fare` < CAST(@p3 AS FLOAT64) AND `active` = CAST(@p4 AS BOOL) AND `gate` IS NOT DISTINCT FROM CAST(@p5 AS STRING) ORDER BY `id` LIMIT 10';
  const params = ['JFK-secret-7', 42, 2.5, true, null];
  let fake: FakeBigQuery;
  let report: RunnerReport;
  let insert: JobBody;

  beforeAll(async () => {
    fake = await FakeBigQuery.start();
    fake.respond(sql, { schema: [{ name: 'id', type: 'STRING' }], rows: [['f01']] });
    report = await runBackend(fake, backendConfig(fake, { maximumBytesBilled: '1000000000', pageSize: 500 }), [query(sql, params)]);
    insert = jobBody(insertOf(fake, sql));
  });

  afterAll(async () => {
    await fake.stop();
  });

  it('returns the rows of the job', () => {
    expect(report.outcomes[0].rows).toEqual([{ id: 'f01' }]);
  });

  it('sends the statement SQL as the job query', () => {
    expect(insert.configuration.query.query).toBe(sql);
  });

  it('turns legacy SQL off', () => {
    expect(insert.configuration.query.useLegacySql).toBe(false);
  });

  it('uses named parameters', () => {
    expect(insert.configuration.query.parameterMode).toBe('NAMED');
  });

  it('binds each parameter by name, type and text', () => {
    expect(insert.configuration.query.queryParameters).toEqual([
      { name: 'p1', parameterType: { type: 'STRING' }, parameterValue: { value: 'JFK-secret-7' } },
      { name: 'p2', parameterType: { type: 'INT64' }, parameterValue: { value: '42' } },
      { name: 'p3', parameterType: { type: 'FLOAT64' }, parameterValue: { value: '2.5' } },
      { name: 'p4', parameterType: { type: 'BOOL' }, parameterValue: { value: 'true' } },
      { name: 'p5', parameterType: { type: 'STRING' }, parameterValue: {} },
    ]);
  });

  it('runs the job in the configured location', () => {
    expect(insert.jobReference.location).toBe('EU');
  });

  it('caps the billed bytes', () => {
    expect(insert.configuration.query.maximumBytesBilled).toBe('1000000000');
  });

  it('sets the job timeout', () => {
    expect(insert.configuration.jobTimeoutMs).toBe('10000');
  });

  it('sets the default dataset', () => {
    expect(insert.configuration.query.defaultDataset).toEqual({ projectId: 'mesh-project', datasetId: 'flights' });
  });

  it('reads results with the page size', () => {
    const reads = resultRequests(fake, insert.jobReference.jobId);

    expect(reads.map((read) => read.query.maxResults)).toEqual(['500']);
  });

  it('asks for timestamps as int64 microseconds', () => {
    const reads = resultRequests(fake, insert.jobReference.jobId);

    expect(reads.map((read) => read.query['formatOptions.useInt64Timestamp'])).toEqual(['true']);
  });

  it('reads results in the job location', () => {
    const reads = resultRequests(fake, insert.jobReference.jobId);

    expect(reads.map((read) => read.query.location)).toEqual(['EU']);
  });

  it('authorizes every request with the access token', () => {
    expect(fake.requests.map((request) => request.headers.authorization)).toEqual(fake.requests.map(() => `Bearer ${TOKEN}`));
  });

  it('sends requests only to the project of the configuration', () => {
    expect(fake.requests.filter((request) => !request.path.startsWith('/bigquery/v2/projects/mesh-project/'))).toEqual([]);
  });

  it('asks no metadata server', () => {
    expect(metadataRequests(fake)).toEqual([]);
  });

  it('counts the statement', () => {
    expect(report.statementsRun).toBe(1);
  });

  it('announces the statement to listeners', () => {
    expect(report.announced).toEqual([sql]);
  });

  it('logs the SQL with the job id', () => {
    const line = report.logs.find((log) => log.msg === 'statement run');

    expect(line).toMatchObject({ sql, jobId: insert.jobReference.jobId, rows: 1 });
  });

  it('logs no parameter value', () => {
    expect(JSON.stringify(report.logs)).not.toContain('JFK-secret-7');
  });

  it('logs no token', () => {
    expect(JSON.stringify(report.logs)).not.toContain(TOKEN);
  });
});

/** Each case: a column's REST type, the text the fake sends for it, and the row-form value expected back. */
const VALUE_CASES: Array<[column: string, type: string, wire: string, expected: unknown]> = [
  ['int_max', 'INTEGER', '9223372036854775807', '9223372036854775807'],
  ['int_min', 'INT64', '-9223372036854775808', '-9223372036854775808'],
  ['int_small', 'INTEGER', '42', '42'],
  ['numeric_max', 'NUMERIC', '99999999999999999999999999999.999999999', '99999999999999999999999999999.999999999'],
  ['bignumeric_38_decimals', 'BIGNUMERIC', '0.12345678901234567890123456789012345678', '0.12345678901234567890123456789012345678'],
  [
    'bignumeric_exponent',
    'BIGNUMERIC',
    '5.7896044618658097711785492504343953926634992332820282019728792003956564819967E+38',
    '578960446186580977117854925043439539266.34992332820282019728792003956564819967',
  ],
  ['float', 'FLOAT', '0.1', 0.1],
  ['float_exponent', 'FLOAT64', '1.0E-7', 1e-7],
  ['bool_true', 'BOOLEAN', 'true', true],
  ['bool_false', 'BOOL', 'false', false],
  ['timestamp_micros', 'TIMESTAMP', '1685622896123456', '2023-06-01T12:34:56.123456Z'],
  ['timestamp_whole', 'TIMESTAMP', '1685622896000000', '2023-06-01T12:34:56Z'],
  ['timestamp_before_1970', 'TIMESTAMP', '-1500000', '1969-12-31T23:59:58.500000Z'],
  ['timestamp_min', 'TIMESTAMP', '-62135596800000000', '0001-01-01T00:00:00Z'],
  ['timestamp_max', 'TIMESTAMP', '253402300799999999', '9999-12-31T23:59:59.999999Z'],
  ['datetime_micros', 'DATETIME', '2023-06-01T12:34:56.123456', '2023-06-01 12:34:56.123456'],
  ['datetime_whole', 'DATETIME', '2023-06-01T00:00:00', '2023-06-01 00:00:00'],
  ['date', 'DATE', '2023-06-01', '2023-06-01'],
  ['time', 'TIME', '23:59:59.999999', '23:59:59.999999'],
  ['json', 'JSON', '{"n": 9223372036854775807, "x": 0.1}', '{"n": 9223372036854775807, "x": 0.1}'],
  ['string', 'STRING', 'Zürich "Kloten"', 'Zürich "Kloten"'],
  ['bytes', 'BYTES', 'AQID/w==', 'AQID/w=='],
];

const VALUES_SQL = 'SELECT * FROM `mesh-project`.`flights`.`all_types` ORDER BY `int_small` NULLS LAST';

/** Runs the all-types query in a child process whose TZ is `zone`. */
async function readAllTypes(zone: string): Promise<{ report: RunnerReport; rows: Array<Record<string, unknown>> }> {
  const fake = await FakeBigQuery.start();
  try {
    fake.respond(VALUES_SQL, {
      schema: VALUE_CASES.map(([name, type]) => ({ name, type })),
      rows: [VALUE_CASES.map(([, , wire]) => wire), VALUE_CASES.map(() => null)],
    });
    const report = await runBackend(fake, backendConfig(fake), [query(VALUES_SQL)], { TZ: zone });
    return { report, rows: report.outcomes[0].rows ?? [] };
  } finally {
    await fake.stop();
  }
}

describe.each([
  ['UTC', 0],
  ['America/Los_Angeles', 480],
  ['Asia/Kolkata', -330],
])('BigQueryBackend values under TZ=%s', (zone, offsetMinutes) => {
  let report: RunnerReport;
  let rows: Array<Record<string, unknown>>;

  beforeAll(async () => {
    ({ report, rows } = await readAllTypes(zone));
  });

  it('runs in the time zone', () => {
    expect(report.offsetMinutes).toBe(offsetMinutes);
  });

  it('returns both rows', () => {
    expect(rows).toHaveLength(2);
  });

  it.each(VALUE_CASES)('returns %s exactly', (column, _type, _wire, expected) => {
    expect(rows[0][column]).toStrictEqual(expected);
  });

  it('returns SQL NULL as null in every column', () => {
    expect(rows[1]).toStrictEqual(Object.fromEntries(VALUE_CASES.map(([column]) => [column, null])));
  });
});

describe('BigQueryBackend result pages', () => {
  const sql = 'SELECT `id` FROM `mesh-project`.`flights`.`legs` ORDER BY `id`';
  const ids = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'];
  let fake: FakeBigQuery;
  let report: RunnerReport;
  let reads: RecordedRequest[];

  beforeAll(async () => {
    fake = await FakeBigQuery.start();
    fake.respond(sql, { schema: [{ name: 'id', type: 'STRING' }], rows: ids.map((id) => [id]), incompletePolls: 2 });
    report = await runBackend(fake, backendConfig(fake, { pageSize: 3 }), [query(sql)]);
    reads = resultRequests(fake, jobIdOf(fake, sql));
  });

  afterAll(async () => {
    await fake.stop();
  });

  it('returns the rows of every page in order', () => {
    expect(report.outcomes[0].rows).toEqual(ids.map((id) => ({ id })));
  });

  it('polls until the job completes, then reads three pages', () => {
    expect(reads).toHaveLength(5);
  });

  it('passes each page token back unchanged', () => {
    expect(reads.map((read) => read.query.pageToken)).toEqual([undefined, undefined, undefined, pageToken(3), pageToken(6)]);
  });

  it('asks for the page size on every read', () => {
    expect(reads.map((read) => read.query.maxResults)).toEqual(['3', '3', '3', '3', '3']);
  });
});

describe('BigQueryBackend errors', () => {
  const invalidSql = 'SELECT `seq` FROM `mesh-project`.`flights`.`legs` WHERE `seq` = CAST(@p1 AS INT64)';
  const expensiveSql = 'SELECT * FROM `mesh-project`.`flights`.`huge`';
  const missingSql = 'SELECT * FROM `mesh-project`.`flights`.`missing`';
  const brokenSql = 'SELECT * FROM `mesh-project`.`flights`.`broken`';
  const deniedSql = 'SELECT * FROM `mesh-project`.`flights`.`secret`';
  const recordSql = 'SELECT `crew` FROM `mesh-project`.`flights`.`legs`';
  const repeatedSql = 'SELECT `stops` FROM `mesh-project`.`flights`.`legs`';
  let fake: FakeBigQuery;
  let report: RunnerReport;

  beforeAll(async () => {
    fake = await FakeBigQuery.start();
    fake.respond(invalidSql, {
      schema: [],
      insertError: { status: 400, reason: 'invalidQuery', message: 'Bad int64 value: seq-secret-91' },
    });
    fake.respond(expensiveSql, {
      schema: [],
      resultsError: { status: 400, reason: 'bytesBilledLimitExceeded', message: 'Query exceeded limit for bytes billed: 1000. 10485760 or higher required.' },
    });
    fake.respond(missingSql, { schema: [], insertError: { status: 404, reason: 'notFound', message: 'Not found: Table mesh-project:flights.missing' } });
    fake.respond(brokenSql, { schema: [], resultsError: { status: 500, reason: 'backendError', message: 'Backend error. Job aborted.' } });
    fake.respond(deniedSql, { schema: [], jobStatusError: { reason: 'accessDenied', message: 'Access Denied: Table mesh-project:flights.secret' } });
    fake.respond(recordSql, {
      schema: [{ name: 'crew', type: 'RECORD', fields: [{ name: 'name', type: 'STRING' }] }],
      rows: [[null]],
    });
    fake.respond(repeatedSql, { schema: [{ name: 'stops', type: 'STRING', mode: 'REPEATED' }], rows: [] });
    report = await runBackend(fake, backendConfig(fake, { maximumBytesBilled: '1000' }), [
      query(invalidSql, ['seq-secret-91']),
      query(expensiveSql),
      query(missingSql),
      query(brokenSql),
      query(deniedSql),
      query(recordSql),
      query(repeatedSql),
    ]);
  });

  afterAll(async () => {
    await fake.stop();
  });

  it.each([0, 1, 2, 3, 4, 5, 6])('fails step %i with BACKEND_QUERY_FAILED', (step) => {
    expect(errorOf(report.outcomes[step]).code).toBe('BACKEND_QUERY_FAILED');
  });

  it('names an invalid query and its HTTP status', () => {
    expect(errorOf(report.outcomes[0]).message).toBe(
      'BigQuery failed to run the query (invalidQuery, HTTP 400): BigQuery found the SQL invalid for the tables it reads; ' +
        "check that the mapped columns exist with the mapped types. The subgraph log has the details.",
    );
  });

  it('keeps parameter values out of the error', () => {
    expect(errorOf(report.outcomes[0]).message).not.toContain('seq-secret-91');
  });

  it('logs BigQuery message without the parameter value', () => {
    const line = report.logs.find((log) => log.msg === 'BigQuery statement failed' && log.sql === invalidSql);

    expect(line).toMatchObject({ status: 400, reason: 'invalidQuery', message: 'Bad int64 value: [parameter]' });
  });

  it('logs no parameter value anywhere', () => {
    expect(JSON.stringify(report.logs)).not.toContain('seq-secret-91');
  });

  it('explains an exceeded maximumBytesBilled', () => {
    const jobId = jobIdOf(fake, expensiveSql);

    expect(errorOf(report.outcomes[1]).message).toBe(
      'BigQuery failed to run the query (bytesBilledLimitExceeded, HTTP 400): the query would bill more bytes than maximumBytesBilled allows; ' +
        `raise maximumBytesBilled or narrow the request. The subgraph log has the details for job ${jobId}.`,
    );
  });

  it('sends the configured maximumBytesBilled', () => {
    expect(jobBody(insertOf(fake, expensiveSql)).configuration.query.maximumBytesBilled).toBe('1000');
  });

  it('puts the reason in the error extensions', () => {
    expect(errorOf(report.outcomes[1]).reason).toBe('bytesBilledLimitExceeded');
  });

  it('explains a missing table', () => {
    expect(errorOf(report.outcomes[2]).message).toBe(
      'BigQuery failed to run the query (notFound, HTTP 404): a table, dataset or job of the query was not found; ' +
        "check projectId, dataset, location and the mapped table names. The subgraph log has the details.",
    );
  });

  it('names a server error and its HTTP status', () => {
    const jobId = jobIdOf(fake, brokenSql);

    expect(errorOf(report.outcomes[3]).message).toBe(
      'BigQuery failed to run the query (backendError, HTTP 500): BigQuery had an internal error; retry the request. ' +
        `The subgraph log has the details for job ${jobId}.`,
    );
  });

  it('sends a failed request once when maxRetries is 0', () => {
    expect(resultRequests(fake, jobIdOf(fake, brokenSql))).toHaveLength(1);
  });

  it('reports an error in the status of the inserted job', () => {
    expect(errorOf(report.outcomes[4]).message).toBe(
      'BigQuery failed to run the query (accessDenied): the credentials lack a permission the query needs, such as bigquery.jobs.create ' +
        "on the project or read access to the tables. The subgraph log has the details.",
    );
  });

  it('rejects a RECORD column by name and type', () => {
    expect(errorOf(report.outcomes[5]).message).toBe(
      'Column "crew" has BigQuery type STRUCT<`name` STRING>, which the BigQuery backend does not read; ' +
        'map a column of a scalar type, or a view that flattens this one.',
    );
  });

  it('rejects a REPEATED column by name and type', () => {
    expect(errorOf(report.outcomes[6]).message).toBe(
      'Column "stops" has BigQuery type ARRAY<STRING>, which the BigQuery backend does not read; ' +
        'map a column of a scalar type, or a view that flattens this one.',
    );
  });
});

describe('BigQueryBackend unreachable endpoint', () => {
  let fake: FakeBigQuery;
  let report: RunnerReport;

  beforeAll(async () => {
    fake = await FakeBigQuery.start();
    const closed = await FakeBigQuery.start();
    const closedUrl = closed.url;
    await closed.stop();
    report = await runBackend(fake, backendConfig(fake, { apiEndpoint: closedUrl }), [query('SELECT 1')]);
  });

  afterAll(async () => {
    await fake.stop();
  });

  it('fails with advice to check the endpoint', () => {
    expect(errorOf(report.outcomes[0]).message).toBe(
      'BigQuery failed to run the query (requestFailed): no HTTP response arrived from BigQuery; check apiEndpoint and the network. ' +
        "The subgraph log has the details.",
    );
  });

  it('logs the connection error', () => {
    expect(report.logs.find((log) => log.msg === 'BigQuery statement failed')?.message).toContain('ECONNREFUSED');
  });
});

describe('BigQueryBackend retries', () => {
  const sql = 'SELECT `id` FROM `mesh-project`.`flights`.`legs`';
  let fake: FakeBigQuery;
  let report: RunnerReport;

  beforeAll(async () => {
    fake = await FakeBigQuery.start();
    fake.respond(sql, {
      schema: [{ name: 'id', type: 'STRING' }],
      rows: [['f01']],
      resultsError: { status: 503, reason: 'backendError', message: 'Service unavailable.' },
      resultsErrorTimes: 1,
    });
    report = await runBackend(fake, backendConfig(fake, { maxRetries: 1 }), [query(sql)]);
  });

  afterAll(async () => {
    await fake.stop();
  });

  it('returns the rows after a retried HTTP 503', () => {
    expect(report.outcomes[0].rows).toEqual([{ id: 'f01' }]);
  });

  it('sends the failed read twice', () => {
    expect(resultRequests(fake, jobIdOf(fake, sql))).toHaveLength(2);
  });
});

describe('BigQueryBackend timeout', () => {
  const sql = 'SELECT `id` FROM `mesh-project`.`flights`.`slow`';
  const timeoutMs = 400;
  let fake: FakeBigQuery;
  let outcome: StepOutcome;
  let report: RunnerReport;

  beforeAll(async () => {
    fake = await FakeBigQuery.start();
    fake.respond(sql, { schema: [{ name: 'id', type: 'STRING' }], stallMs: 3_000 });
    report = await runBackend(fake, backendConfig(fake, { timeoutMs }), [query(sql)]);
    outcome = report.outcomes[0];
  });

  afterAll(async () => {
    await fake.stop();
  });

  it('fails with a message naming the job and the limit', () => {
    expect(errorOf(outcome).message).toBe(
      `BigQuery job ${jobIdOf(fake, sql)} did not finish within timeoutMs (400 ms). The backend requested its cancellation. ` +
        'Raise timeoutMs or narrow the request.',
    );
  });

  it('fails with BACKEND_QUERY_FAILED', () => {
    expect(errorOf(outcome).code).toBe('BACKEND_QUERY_FAILED');
  });

  it('fails no earlier than timeoutMs', () => {
    // The margin covers the rounding of `ms` and a Node timer firing up to a millisecond early.
    expect(outcome.ms).toBeGreaterThanOrEqual(timeoutMs - 5);
  });

  it('fails long before the stalled response would end', () => {
    expect(outcome.ms).toBeLessThan(1_500);
  });

  it('cancels the job', () => {
    expect(fake.requestsTo('POST', `jobs/${jobIdOf(fake, sql)}/cancel`)).toHaveLength(1);
  });

  it('logs the timeout with the job id', () => {
    expect(report.logs.find((log) => log.msg === 'BigQuery statement timed out')).toMatchObject({ sql, jobId: jobIdOf(fake, sql), timeoutMs });
  });
});

/** Each case: a schema field as the REST API describes it, and the GoogleSQL type `describe` returns. */
const DESCRIBE_CASES: Array<[FakeField, string]> = [
  [{ name: 'id', type: 'STRING', maxLength: '8' }, 'STRING'],
  [{ name: 'seq', type: 'INTEGER' }, 'INT64'],
  [{ name: 'fare', type: 'FLOAT' }, 'FLOAT64'],
  [{ name: 'active', type: 'BOOLEAN' }, 'BOOL'],
  [{ name: 'price', type: 'NUMERIC', precision: '10', scale: '2' }, 'NUMERIC'],
  [{ name: 'exact', type: 'BIGNUMERIC' }, 'BIGNUMERIC'],
  [{ name: 'raw', type: 'BYTES' }, 'BYTES'],
  [{ name: 'day', type: 'DATE' }, 'DATE'],
  [{ name: 'local', type: 'DATETIME' }, 'DATETIME'],
  [{ name: 'clock', type: 'TIME' }, 'TIME'],
  [{ name: 'at', type: 'TIMESTAMP' }, 'TIMESTAMP'],
  [{ name: 'doc', type: 'JSON' }, 'JSON'],
  [{ name: 'already_standard', type: 'INT64', mode: 'REQUIRED' }, 'INT64'],
  [{ name: 'crew', type: 'RECORD', fields: [{ name: 'name', type: 'STRING' }, { name: 'rank', type: 'INTEGER' }] }, 'STRUCT<`name` STRING, `rank` INT64>'],
  [{ name: 'stops', type: 'STRING', mode: 'REPEATED' }, 'ARRAY<STRING>'],
  [{ name: 'window', type: 'RANGE', rangeElementType: { type: 'DATE' } }, 'RANGE<DATE>'],
];

describe('BigQueryBackend dry run and describe', () => {
  const relation = '`mesh-project`.`flights`.`legs`';
  const describeSql = `SELECT * FROM ${relation}`;
  const costSql = 'SELECT `id` FROM `mesh-project`.`flights`.`legs` WHERE `origin` = CAST(@p1 AS STRING)';
  let fake: FakeBigQuery;
  let report: RunnerReport;
  let columns: Map<string, string>;

  beforeAll(async () => {
    fake = await FakeBigQuery.start();
    fake.respond(describeSql, { schema: DESCRIBE_CASES.map(([field]) => field) });
    fake.respond(costSql, { schema: [{ name: 'id', type: 'STRING' }], totalBytesProcessed: '9007199254740993' });
    const steps: RunnerStep[] = [
      { operation: 'dryRun', statement: { sql: costSql, params: ['JFK'] } satisfies Statement },
      { operation: 'describe', from: relation },
    ];
    report = await runBackend(fake, backendConfig(fake), steps);
    columns = new Map(report.outcomes[1].columns);
  });

  afterAll(async () => {
    await fake.stop();
  });

  it('returns the bytes of a dry run exactly', () => {
    expect(report.outcomes[0].bytes).toBe('9007199254740993');
  });

  it('returns the bytes as a bigint', () => {
    expect(report.outcomes[0].bytesType).toBe('bigint');
  });

  it('marks the job as a dry run', () => {
    expect(jobBody(insertOf(fake, costSql)).configuration.dryRun).toBe(true);
  });

  it('describes a relation with a dry run of SELECT *', () => {
    expect(jobBody(insertOf(fake, describeSql)).configuration.dryRun).toBe(true);
  });

  it('reads no result page', () => {
    expect(fake.requestsTo('GET', 'queries/')).toEqual([]);
  });

  it('counts no statement', () => {
    expect(report.statementsRun).toBe(0);
  });

  it('returns every column in schema order', () => {
    expect([...columns.keys()]).toEqual(DESCRIBE_CASES.map(([field]) => field.name));
  });

  it.each(DESCRIBE_CASES.map(([field, expected]) => [field.name, expected]))('maps column %s to %s', (name, expected) => {
    expect(columns.get(name)).toBe(expected);
  });
});

/** Creates a service-account key as the Google Cloud console writes it, with a key pair made for the test. */
function serviceAccountKey(): { json: string; publicKey: KeyObject; email: string; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const email = 'meshgate-test@mesh-project.iam.gserviceaccount.com';
  const keyId = '0123456789abcdef0123456789abcdef01234567';
  const json = JSON.stringify({
    type: 'service_account',
    project_id: 'mesh-project',
    private_key_id: keyId,
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    client_email: email,
    client_id: '100000000000000000001',
    token_uri: 'https://oauth2.googleapis.com/token',
  });
  return { json, publicKey, email, keyId };
}

describe.each(['keyFile', 'credentialsEnv'])('BigQueryBackend service-account key from %s', (source) => {
  const sql = 'SELECT `id` FROM `mesh-project`.`flights`.`legs`';
  const key = serviceAccountKey();
  let fake: FakeBigQuery;
  let directory: string;
  let report: RunnerReport;

  beforeAll(async () => {
    fake = await FakeBigQuery.start();
    fake.respond(sql, { schema: [{ name: 'id', type: 'STRING' }], rows: [['f01']] });
    directory = await mkdtemp(join(tmpdir(), 'meshgate-bigquery-'));
    const keyFile = join(directory, 'key.json');
    await writeFile(keyFile, key.json);
    const credentials = source === 'keyFile' ? { keyFile } : { credentialsEnv: 'MESHGATE_TEST_BIGQUERY_KEY' };
    const config = { ...backendConfig(fake), accessTokenEnv: undefined, ...credentials };
    report = await runBackend(fake, config, [query(sql)], { MESHGATE_TEST_BIGQUERY_KEY: key.json });
  });

  afterAll(async () => {
    await fake.stop();
    await rm(directory, { recursive: true, force: true });
  });

  /** Returns the bearer token of every request the fake received. */
  function bearerTokens(): string[] {
    return fake.requests.map((request) => (request.headers.authorization ?? '').replace(/^Bearer /, ''));
  }

  it('returns the rows', () => {
    expect(report.outcomes[0].rows).toEqual([{ id: 'f01' }]);
  });

  it('signs each request with a JWT of the service account', async () => {
    const tokens = bearerTokens();
    const issuers = await Promise.all(tokens.map(async (token) => (await jwtVerify(token, key.publicKey)).payload.iss));

    expect(issuers).toEqual(tokens.map(() => key.email));
  });

  it('puts the BigQuery scope in the JWT', async () => {
    const { payload } = await jwtVerify(bearerTokens()[0], key.publicKey);

    expect(payload.scope).toBe(BIGQUERY_SCOPE);
  });

  it('names the key id in the JWT header', () => {
    expect(decodeProtectedHeader(bearerTokens()[0]).kid).toBe(key.keyId);
  });

  it('asks no metadata server', () => {
    expect(metadataRequests(fake)).toEqual([]);
  });

  it('logs no part of the private key', () => {
    expect(JSON.stringify(report.logs)).not.toContain('PRIVATE KEY');
  });
});

describe('exact values through a data product', () => {
  const sdl = `
    type Reading @key(fields: "id") @table(name: "readings") {
      id: BigInt!
      amount: Decimal
      wide: Decimal
      payload: JSON
      takenAt: DateTime @column(name: "taken_at")
      localTime: LocalDateTime @column(name: "local_time")
      day: Date
    }`;
  const schema = [
    { name: 'id', type: 'INTEGER' },
    { name: 'amount', type: 'NUMERIC' },
    { name: 'wide', type: 'BIGNUMERIC' },
    { name: 'payload', type: 'JSON' },
    { name: 'taken_at', type: 'TIMESTAMP' },
    { name: 'local_time', type: 'DATETIME' },
    { name: 'day', type: 'DATE' },
  ];
  /** Result columns of the page statement: each field under its GraphQL name, then the order key. */
  const aliases: Record<string, string> = { taken_at: 'takenAt', local_time: 'localTime' };
  const pageSchema = [...schema.map((field) => ({ ...field, name: aliases[field.name] ?? field.name })), { name: '__order_0', type: 'INTEGER' }];
  const payload = '{"n":9223372036854775807,"x":0.1,"neg":-9223372036854775808}';
  let report: RunnerReport;
  let fake: FakeBigQuery;

  beforeAll(async () => {
    fake = await FakeBigQuery.start();
    fake.resolve = (sql, _parameters, dryRun) =>
      Promise.resolve({
        schema: dryRun ? schema : pageSchema,
        rows: dryRun
          ? []
          : [
              ['-9223372036854775808', '-0.000000001', '0.12345678901234567890123456789012345678', '[]', '-1', '1969-12-31T23:59:59.999999', '1970-01-01', '-9223372036854775808'],
              ['9223372036854775807', '99999999999999999999999999999.999999999', '578960446186580977117854925043439539266.34992332820282019728792003956564819967', payload, '1710032523123456', '2024-03-10T01:02:03.123456', '2024-02-29', '9223372036854775807'],
            ],
      });
    const query = '{ readings(first: 5) { nodes { id amount wide payload takenAt localTime day } } }';
    report = await runBackend(fake, backendConfig(fake), [{ operation: 'graphql', sdl, query }], { TZ: 'Asia/Kolkata' });
  });

  afterAll(async () => {
    await fake.stop();
  });

  it('runs in a zone 5:30 ahead of UTC', () => {
    expect(report.offsetMinutes).toBe(-330);
  });

  it('returns every digit and microsecond', () => {
    expect(report.outcomes[0].errors).toBeUndefined();
    expect(report.outcomes[0].data).toEqual({
      readings: {
        nodes: [
          {
            id: '-9223372036854775808',
            amount: '-0.000000001',
            wide: '0.12345678901234567890123456789012345678',
            payload: '[]',
            takenAt: '1969-12-31T23:59:59.999999Z',
            localTime: '1969-12-31T23:59:59.999999',
            day: '1970-01-01',
          },
          {
            id: '9223372036854775807',
            amount: '99999999999999999999999999999.999999999',
            wide: '578960446186580977117854925043439539266.34992332820282019728792003956564819967',
            payload,
            takenAt: '2024-03-10T01:02:03.123456Z',
            localTime: '2024-03-10T01:02:03.123456',
            day: '2024-02-29',
          },
        ],
      },
    });
  });
});

describe('bigQueryBackendSchema', () => {
  const base = { kind: 'bigquery', projectId: 'mesh-project', dataset: 'flights', accessTokenEnv: TOKEN_ENV, apiEndpoint: 'http://127.0.0.1:9' };

  it('fills the defaults', () => {
    expect(bigQueryBackendSchema.parse(base)).toEqual({
      ...base,
      location: 'US',
      pageSize: 10_000,
      timeoutMs: 60_000,
      maxRetries: 3,
    });
  });

  it('requires apiEndpoint', () => {
    const result = bigQueryBackendSchema.safeParse({ ...base, apiEndpoint: undefined });

    expect(result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'))).toEqual(['apiEndpoint']);
  });

  it('requires a credential source', () => {
    const result = bigQueryBackendSchema.safeParse({ ...base, accessTokenEnv: undefined });

    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['keyFile', 'set one of keyFile, credentialsEnv or accessTokenEnv to name the credentials'],
    ]);
  });

  it('rejects a second credential source', () => {
    const result = bigQueryBackendSchema.safeParse({ ...base, keyFile: '/etc/meshgate/key.json' });

    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['accessTokenEnv', 'keyFile already names the credentials; remove accessTokenEnv'],
    ]);
  });

  it('rejects a maximumBytesBilled that is not digits', () => {
    const result = bigQueryBackendSchema.safeParse({ ...base, maximumBytesBilled: '10 GB' });

    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['maximumBytesBilled', 'expected a whole number of bytes as a string of digits'],
    ]);
  });

  it('rejects an unknown option', () => {
    expect(bigQueryBackendSchema.safeParse({ ...base, legacySql: true }).success).toBe(false);
  });
});

describe('openBigQueryBackend credentials', () => {
  const logger = createLogger({ level: 'silent' });
  const keyEnv = 'MESHGATE_TEST_BIGQUERY_BAD_KEY';
  const base = { kind: 'bigquery', projectId: 'mesh-project', dataset: 'flights', apiEndpoint: 'http://127.0.0.1:9' };

  afterEach(() => {
    delete process.env[keyEnv];
  });

  it('rejects a key that is not JSON without quoting it', async () => {
    expect.assertions(1);
    process.env[keyEnv] = 'not-json-secret-material';

    await expect(openBigQueryBackend(bigQueryBackendSchema.parse({ ...base, credentialsEnv: keyEnv }), logger)).rejects.toThrow(
      new Error(`BigQuery credentials in environment variable ${keyEnv} are not valid JSON.`),
    );
  });

  it('rejects JSON that is not a service-account key', async () => {
    expect.assertions(1);
    process.env[keyEnv] = JSON.stringify({ type: 'authorized_user', refresh_token: 'secret' });

    await expect(openBigQueryBackend(bigQueryBackendSchema.parse({ ...base, credentialsEnv: keyEnv }), logger)).rejects.toThrow(
      new Error(
        `BigQuery credentials in environment variable ${keyEnv} are not a service-account key: expected type "service_account", client_email and private_key.`,
      ),
    );
  });

  it('rejects a private_key that is not PEM', async () => {
    expect.assertions(1);
    process.env[keyEnv] = JSON.stringify({ type: 'service_account', client_email: 'mesh@p.iam.gserviceaccount.com', private_key: 'secret-not-pem' });

    await expect(openBigQueryBackend(bigQueryBackendSchema.parse({ ...base, credentialsEnv: keyEnv }), logger)).rejects.toThrow(
      new Error(`BigQuery credentials in environment variable ${keyEnv}: private_key is not a PEM private key; download the service-account key again.`),
    );
  });

  it('rejects an unset environment variable', async () => {
    expect.assertions(1);

    await expect(openBigQueryBackend(bigQueryBackendSchema.parse({ ...base, credentialsEnv: keyEnv }), logger)).rejects.toThrow(
      new Error(`BigQuery credentials: environment variable ${keyEnv} is not set or is empty; set it, or name another variable in the backend's credentialsEnv.`),
    );
  });

  it('rejects a key file that does not exist', async () => {
    expect.assertions(1);

    await expect(openBigQueryBackend(bigQueryBackendSchema.parse({ ...base, keyFile: '/nonexistent/meshgate/key.json' }), logger)).rejects.toThrow(
      new Error('BigQuery keyFile /nonexistent/meshgate/key.json cannot be read (ENOENT).'),
    );
  });
});
