import { execFile } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, GraphQLError } from 'graphql';
import { snowflakeBackendSchema, type SnowflakeBackendConfig } from '../../../core/config/sections/snowflake.js';
import { createLogger, type Logger } from '../../../core/logger.js';
import { openSnowflakeBackend, SnowflakeBackend, type CredentialEnvironment } from '../../../subgraphs/kit/backends/snowflake.js';
import { createDataProduct } from '../../../subgraphs/kit/engine.js';
import { snowflakeDialect } from '../../../subgraphs/kit/sql/dialect.js';
import { FakeSnowflake, type FakeColumn, type FakeQueryReply, type FakeResultSet } from './fakeSnowflake.js';

const run = promisify(execFile);

const ACCOUNT = 'MESHORG-ANALYTICS';
const READER = 'MESH_READER';
const SERVICE = 'MESH_SERVICE';
const PASSWORD = 'correct horse battery';
const PASSPHRASE = 'staple of the key';
const ENVIRONMENT: CredentialEnvironment = { SNOWFLAKE_PASSWORD: PASSWORD, SNOWFLAKE_KEY_PASSPHRASE: PASSPHRASE };

/** The session context every test backend logs in with. */
const CONTEXT = { warehouse: 'ANALYTICS_WH', database: 'MESH', schema: 'FLIGHTS', role: 'MESH_READER_ROLE' };

/** One row of every type the adapter converts, as the text Snowflake's JSON result format carries. */
const VALUE_COLUMNS: FakeColumn[] = [
  { name: 'BIG_16', type: 'fixed', precision: 38, scale: 0 },
  { name: 'BIG_38', type: 'fixed', precision: 38, scale: 0 },
  { name: 'NEGATIVE', type: 'fixed', precision: 38, scale: 0 },
  { name: 'EXACT_9', type: 'fixed', precision: 38, scale: 9 },
  { name: 'FARE', type: 'fixed', precision: 10, scale: 2 },
  { name: 'RATIO', type: 'real' },
  { name: 'UNBOUNDED', type: 'real' },
  { name: 'PAYLOAD', type: 'variant' },
  { name: 'ATTRIBUTES', type: 'object' },
  { name: 'TAGS', type: 'array' },
  { name: 'DEPARTED_AT', type: 'timestamp_ntz', scale: 9 },
  { name: 'NANOS_AT', type: 'timestamp_ntz', scale: 9 },
  { name: 'BEFORE_EPOCH', type: 'timestamp_ntz', scale: 9 },
  { name: 'WHOLE_SECOND', type: 'timestamp_ntz', scale: 0 },
  { name: 'LANDED_IST', type: 'timestamp_tz', scale: 9 },
  { name: 'LANDED_EST', type: 'timestamp_tz', scale: 9 },
  { name: 'BOOKED_AT', type: 'timestamp_ltz', scale: 6 },
  { name: 'FLIGHT_DATE', type: 'date' },
  { name: 'CANCELLED', type: 'boolean' },
  { name: 'DIVERTED', type: 'boolean' },
  { name: 'ORIGIN', type: 'text' },
  { name: 'CHECKSUM', type: 'binary' },
  { name: 'MISSING_NUMBER', type: 'fixed', precision: 38, scale: 0 },
  { name: 'MISSING_TIME', type: 'timestamp_ntz', scale: 9 },
  { name: 'MISSING_PAYLOAD', type: 'variant' },
];

const VALUE_ROW: Array<string | null> = [
  '9999999999999999',
  '99999999999999999999999999999999999999',
  '-12345678901234567890',
  '12345678901234567890.123456789',
  '120.50',
  '0.1',
  'inf',
  '{\n  "big": 12345678901234567890,\n  "n": 9999999999999999\n}',
  '{\n  "id": 9007199254740993\n}',
  '[\n  1,\n  12345678901234567890\n]',
  '1710032523.123456000',
  '1710032523.123456789',
  '-1.000001000',
  '1710032523',
  '1710032523.123456000 1770',
  '1710032523.500000000 1140',
  '1710032523.123456',
  '19792',
  '1',
  '0',
  'Zürich "Kloten"',
  'C0FFEE00',
  null,
  null,
  null,
];

/** What the adapter must return for VALUE_ROW, written out by hand from the epoch seconds and offsets. */
const EXPECTED_VALUES = {
  BIG_16: '9999999999999999',
  BIG_38: '99999999999999999999999999999999999999',
  NEGATIVE: '-12345678901234567890',
  EXACT_9: '12345678901234567890.123456789',
  FARE: '120.50',
  RATIO: 0.1,
  UNBOUNDED: Infinity,
  PAYLOAD: '{\n  "big": 12345678901234567890,\n  "n": 9999999999999999\n}',
  ATTRIBUTES: '{\n  "id": 9007199254740993\n}',
  TAGS: '[\n  1,\n  12345678901234567890\n]',
  DEPARTED_AT: '2024-03-10 01:02:03.123456',
  NANOS_AT: '2024-03-10 01:02:03.123456789',
  BEFORE_EPOCH: '1969-12-31 23:59:58.999999',
  WHOLE_SECOND: '2024-03-10 01:02:03',
  LANDED_IST: '2024-03-10T06:32:03.123456+05:30',
  LANDED_EST: '2024-03-09T20:02:03.5-05:00',
  BOOKED_AT: '2024-03-10T01:02:03.123456Z',
  FLIGHT_DATE: '2024-03-10',
  CANCELLED: true,
  DIVERTED: false,
  ORIGIN: 'Zürich "Kloten"',
  CHECKSUM: 'C0FFEE00',
  MISSING_NUMBER: null,
  MISSING_TIME: null,
  MISSING_PAYLOAD: null,
};

interface KeyPair {
  readonly directory: string;
  readonly privateKeyFile: string;
  readonly publicKey: KeyObject;
}

/** Writes a fresh RSA key pair, the private key encrypted with PASSPHRASE, to a temporary folder. */
function writeKeyPair(): KeyPair {
  const directory = mkdtempSync(join(tmpdir(), 'meshgate-snowflake-'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE },
  });
  const privateKeyFile = join(directory, 'rsa_key.p8');
  writeFileSync(privateKeyFile, privateKey, { mode: 0o600 });
  return { directory, privateKeyFile, publicKey: createPublicKey(publicKey) };
}

const keyPair = writeKeyPair();

afterAll(() => rmSync(keyPair.directory, { recursive: true, force: true }));

function startFake(): Promise<FakeSnowflake> {
  return FakeSnowflake.start(ACCOUNT, [
    { username: READER, password: PASSWORD },
    { username: SERVICE, publicKey: keyPair.publicKey },
  ]);
}

function passwordOptions(fake: FakeSnowflake, overrides: Partial<SnowflakeBackendConfig> = {}): SnowflakeBackendConfig {
  return snowflakeBackendSchema.parse({
    kind: 'snowflake',
    account: ACCOUNT,
    username: READER,
    ...CONTEXT,
    passwordEnv: 'SNOWFLAKE_PASSWORD',
    accessUrl: fake.url,
    timeoutMs: 10_000,
    ...overrides,
  });
}

function keyPairOptions(fake: FakeSnowflake, overrides: Partial<SnowflakeBackendConfig> = {}): SnowflakeBackendConfig {
  return snowflakeBackendSchema.parse({
    kind: 'snowflake',
    account: ACCOUNT,
    username: SERVICE,
    ...CONTEXT,
    authenticator: 'keypair',
    privateKeyFile: keyPair.privateKeyFile,
    privateKeyPassphraseEnv: 'SNOWFLAKE_KEY_PASSPHRASE',
    accessUrl: fake.url,
    timeoutMs: 10_000,
    ...overrides,
  });
}

/** Creates a logger whose JSON lines the test reads. */
function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => lines.push(line) } });
  return { logger, lines };
}

function rows(result: FakeResultSet): FakeQueryReply {
  return { kind: 'rows', result };
}

/** Waits until `condition` holds, checking every 20 ms for at most `timeoutMs`. */
async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs `query` and returns the GraphQLError it rejects with. */
async function rejection(query: Promise<unknown>): Promise<GraphQLError> {
  try {
    await query;
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('the query did not fail');
}

describe('SnowflakeBackend statements', () => {
  let fake: FakeSnowflake;
  let backend: SnowflakeBackend;

  beforeEach(async () => {
    fake = await startFake();
    backend = new SnowflakeBackend(passwordOptions(fake), capturingLogger().logger, ENVIRONMENT);
  });

  afterEach(async () => {
    await backend.close();
    await fake.stop();
  });

  const legs = `${snowflakeDialect.quoteIdentifier('MESH')}.${snowflakeDialect.quoteIdentifier('FLIGHTS')}.${snowflakeDialect.quoteIdentifier('LEGS')}`;
  const sql =
    `SELECT "ID", "DISTANCE" FROM ${legs} WHERE "ORIGIN" = ${snowflakeDialect.parameter(1, 'VARCHAR')} ` +
    `AND "DISTANCE" > ${snowflakeDialect.parameter(2, 'NUMBER(38,0)')} AND "SEQ" = ${snowflakeDialect.parameter(3, 'NUMBER(38,0)')} ` +
    `AND "CANCELLED" = ${snowflakeDialect.parameter(4, 'BOOLEAN')} AND "GATE" IS NOT DISTINCT FROM ${snowflakeDialect.parameter(5, 'VARCHAR')}`;
  const params = ["O'Hare", 9007199254740993n, 2, false, null];

  it('sends the SQL text unchanged', async () => {
    await backend.query({ sql, params });

    expect(fake.queries[0].sqlText).toBe(
      'SELECT "ID", "DISTANCE" FROM "MESH"."FLIGHTS"."LEGS" WHERE "ORIGIN" = CAST(:1 AS VARCHAR) AND "DISTANCE" > CAST(:2 AS NUMBER(38,0)) ' +
        'AND "SEQ" = CAST(:3 AS NUMBER(38,0)) AND "CANCELLED" = CAST(:4 AS BOOLEAN) AND "GATE" IS NOT DISTINCT FROM CAST(:5 AS VARCHAR)',
    );
  });

  it('binds parameters by position', async () => {
    await backend.query({ sql, params });

    expect(fake.queries[0].bindings).toEqual({
      '1': { type: 'TEXT', value: "O'Hare" },
      '2': { type: 'TEXT', value: '9007199254740993' },
      '3': { type: 'FIXED', value: '2' },
      '4': { type: 'BOOLEAN', value: 'false' },
      '5': { type: 'TEXT', value: null },
    });
  });

  it('keeps parameter values out of the SQL text', async () => {
    await backend.query({ sql, params });

    expect(fake.queries[0].sqlText).not.toContain('Hare');
  });

  it('logs in with the configured session context', async () => {
    await backend.query({ sql: 'SELECT 1', params: [] });

    expect(fake.logins[0].context).toMatchObject({
      warehouse: 'ANALYTICS_WH',
      databaseName: 'MESH',
      schemaName: 'FLIGHTS',
      roleName: 'MESH_READER_ROLE',
    });
    expect(fake.logins[0].data).toMatchObject({ ACCOUNT_NAME: ACCOUNT, LOGIN_NAME: READER });
  });

  it('sends statements with the session token of its login', async () => {
    await backend.query({ sql: 'SELECT 1', params: [] });

    expect(fake.queries[0].sessionToken).toBe('session-1');
  });

  it('counts statements and calls listeners before they run', async () => {
    const seen: string[] = [];
    const remove = backend.onStatement((statement) => seen.push(`${statement.sql} after ${fake.queries.length} queries`));

    await backend.query({ sql: 'SELECT 1', params: [] });
    remove();
    await backend.query({ sql: 'SELECT 2', params: [] });

    expect(seen).toEqual(['SELECT 1 after 0 queries']);
    expect(backend.statementsRun).toBe(2);
  });

  it('reuses a pooled session for later statements', async () => {
    for (let i = 0; i < 3; i += 1) await backend.query({ sql: `SELECT ${i}`, params: [] });

    expect(fake.logins).toHaveLength(1);
  });

  it('opens at most poolSize sessions', async () => {
    const pooled = new SnowflakeBackend(passwordOptions(fake, { poolSize: 2 }), capturingLogger().logger, ENVIRONMENT);
    const loginsBefore = fake.logins.length;

    await Promise.all(Array.from({ length: 6 }, (_, i) => pooled.query({ sql: `SELECT ${i}`, params: [] })));
    await pooled.close();

    expect(fake.logins.length - loginsBefore).toBe(2);
  });

  it('logs out every session on close', async () => {
    const closing = new SnowflakeBackend(passwordOptions(fake, { poolSize: 2 }), capturingLogger().logger, ENVIRONMENT);
    await Promise.all([closing.query({ sql: 'SELECT 1', params: [] }), closing.query({ sql: 'SELECT 2', params: [] })]);

    await closing.close();

    expect([...fake.logouts].sort()).toEqual(['session-1', 'session-2']);
  });
});

describe('SnowflakeBackend authentication', () => {
  let fake: FakeSnowflake;

  beforeEach(async () => {
    fake = await startFake();
  });

  afterEach(async () => {
    await fake.stop();
  });

  it('logs in with the password from passwordEnv', async () => {
    const backend = await openSnowflakeBackend(passwordOptions(fake), capturingLogger().logger, ENVIRONMENT);
    await backend.close();

    expect(fake.logins[0].data.PASSWORD).toBe(PASSWORD);
  });

  it('logs in with a key pair', async () => {
    const backend = await openSnowflakeBackend(keyPairOptions(fake), capturingLogger().logger, ENVIRONMENT);
    await backend.query({ sql: 'SELECT 1', params: [] });
    await backend.close();

    expect(fake.logins[0].data).toMatchObject({ AUTHENTICATOR: 'SNOWFLAKE_JWT', LOGIN_NAME: SERVICE });
    expect(fake.logins[0].data).not.toHaveProperty('PASSWORD');
    expect(fake.queries[0].sessionToken).toBe('session-1');
  });

  it('logs in once when opened, before any statement', async () => {
    const backend = await openSnowflakeBackend(passwordOptions(fake), capturingLogger().logger, ENVIRONMENT);
    await backend.close();

    expect(fake.logins).toHaveLength(1);
    expect(fake.queries).toHaveLength(0);
  });

  it('rejects a wrong password naming the account, user and method', async () => {
    const error = await rejection(openSnowflakeBackend(passwordOptions(fake), capturingLogger().logger, { SNOWFLAKE_PASSWORD: 'wrong' }));

    expect(error.message).toBe(
      'Snowflake login to account "MESHORG-ANALYTICS" as user "MESH_READER" with password authentication failed: Incorrect username or password was specified.',
    );
    expect(error.extensions.code).toBe('BACKEND_QUERY_FAILED');
  });

  it('rejects a key pair the account does not know', async () => {
    const stranger = { ...keyPair, publicKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey };
    const otherFake = await FakeSnowflake.start(ACCOUNT, [{ username: SERVICE, publicKey: stranger.publicKey }]);
    try {
      const error = await rejection(openSnowflakeBackend(keyPairOptions(otherFake), capturingLogger().logger, ENVIRONMENT));

      expect(error.message).toBe(
        'Snowflake login to account "MESHORG-ANALYTICS" as user "MESH_SERVICE" with key-pair (SNOWFLAKE_JWT) authentication failed: JWT token is invalid.',
      );
    } finally {
      await otherFake.stop();
    }
  });

  it('rejects a login slower than timeoutMs', async () => {
    fake.loginDelayMs = 1_000;

    const error = await rejection(openSnowflakeBackend(passwordOptions(fake, { timeoutMs: 300 }), capturingLogger().logger, ENVIRONMENT));

    expect(error.message).toBe(
      `No Snowflake session of account "MESHORG-ANALYTICS" became available within 300 ms (pool of 4): the login to ${fake.url} did not finish, ` +
        'or every session is busy. Check that accessUrl is reachable.',
    );
  });

  it('fails at startup when the password variable is unset', () => {
    expect(() => new SnowflakeBackend(passwordOptions(fake), capturingLogger().logger, {})).toThrow(
      'Snowflake passwordEnv: environment variable SNOWFLAKE_PASSWORD is missing or empty. Set it to the password.',
    );
  });

  it('fails at startup when the key passphrase is wrong', () => {
    const environment = { SNOWFLAKE_KEY_PASSPHRASE: 'not the passphrase' };

    expect(() => new SnowflakeBackend(keyPairOptions(fake), capturingLogger().logger, environment)).toThrow(
      `Snowflake privateKeyFile: ${keyPair.privateKeyFile} is not a PEM private key that opens with the passphrase in SNOWFLAKE_KEY_PASSPHRASE`,
    );
  });

  it('fails at startup when the key file is missing', () => {
    const options = keyPairOptions(fake, { privateKeyFile: join(keyPair.directory, 'absent.p8') });

    expect(() => new SnowflakeBackend(options, capturingLogger().logger, ENVIRONMENT)).toThrow(
      `Snowflake privateKeyFile: cannot read ${join(keyPair.directory, 'absent.p8')}`,
    );
  });
});

describe('SnowflakeBackend values', () => {
  let fake: FakeSnowflake;
  let row: Record<string, unknown>;

  beforeAll(async () => {
    fake = await startFake();
    fake.reply = () => rows({ columns: VALUE_COLUMNS, rows: [VALUE_ROW] });
    const backend = new SnowflakeBackend(passwordOptions(fake), capturingLogger().logger, ENVIRONMENT);
    [row] = await backend.query({ sql: 'SELECT * FROM "MESH"."FLIGHTS"."VALUES"', params: [] });
    await backend.close();
  });

  afterAll(async () => {
    await fake.stop();
  });

  it('returns NUMBER(38,0) as the exact decimal text', () => {
    expect([row.BIG_16, row.BIG_38, row.NEGATIVE]).toEqual([EXPECTED_VALUES.BIG_16, EXPECTED_VALUES.BIG_38, EXPECTED_VALUES.NEGATIVE]);
  });

  it('returns NUMBER(p,s) as the exact decimal text', () => {
    expect([row.EXACT_9, row.FARE]).toEqual([EXPECTED_VALUES.EXACT_9, EXPECTED_VALUES.FARE]);
  });

  it('returns FLOAT as a number', () => {
    expect(row.RATIO).toBe(0.1);
  });

  it('reads the FLOAT infinity spelled inf', () => {
    expect(row.UNBOUNDED).toBe(Infinity);
  });

  it('returns BINARY as upper-case hex', () => {
    expect(row.CHECKSUM).toBe('C0FFEE00');
  });

  it('returns VARIANT as the JSON text sent, big integers intact', () => {
    expect(row.PAYLOAD).toBe(EXPECTED_VALUES.PAYLOAD);
  });

  it('returns OBJECT and ARRAY as the JSON text sent', () => {
    expect([row.ATTRIBUTES, row.TAGS]).toEqual([EXPECTED_VALUES.ATTRIBUTES, EXPECTED_VALUES.TAGS]);
  });

  it('returns TIMESTAMP_NTZ as wall-clock text with microseconds', () => {
    expect(row.DEPARTED_AT).toBe(EXPECTED_VALUES.DEPARTED_AT);
  });

  it('keeps nine fractional digits of TIMESTAMP_NTZ', () => {
    expect(row.NANOS_AT).toBe(EXPECTED_VALUES.NANOS_AT);
  });

  it('returns a TIMESTAMP_NTZ before 1970 exactly', () => {
    expect(row.BEFORE_EPOCH).toBe(EXPECTED_VALUES.BEFORE_EPOCH);
  });

  it('leaves out the fraction of a whole second', () => {
    expect(row.WHOLE_SECOND).toBe(EXPECTED_VALUES.WHOLE_SECOND);
  });

  it('returns TIMESTAMP_TZ in ISO 8601 with its own offset', () => {
    expect([row.LANDED_IST, row.LANDED_EST]).toEqual([EXPECTED_VALUES.LANDED_IST, EXPECTED_VALUES.LANDED_EST]);
  });

  it('returns TIMESTAMP_LTZ in ISO 8601 UTC', () => {
    expect(row.BOOKED_AT).toBe(EXPECTED_VALUES.BOOKED_AT);
  });

  it('returns DATE as YYYY-MM-DD', () => {
    expect(row.FLIGHT_DATE).toBe(EXPECTED_VALUES.FLIGHT_DATE);
  });

  it('returns BOOLEAN as a boolean', () => {
    expect([row.CANCELLED, row.DIVERTED]).toEqual([true, false]);
  });

  it('returns text unchanged', () => {
    expect(row.ORIGIN).toBe(EXPECTED_VALUES.ORIGIN);
  });

  it('returns SQL NULL as null in every type', () => {
    expect([row.MISSING_NUMBER, row.MISSING_TIME, row.MISSING_PAYLOAD]).toEqual([null, null, null]);
  });

  it('returns exactly the expected row', () => {
    expect(row).toEqual(EXPECTED_VALUES);
  });
});

interface TimeZoneReport {
  readonly offsetMinutes: number;
  readonly rows: Array<Record<string, unknown>>;
}

/**
 * Queries the fake from a child process whose TZ is `zone`, because Jest does not pass a changed
 * `process.env.TZ` on to the time zone of the running process.
 */
async function queryUnderTimeZone(fake: FakeSnowflake, zone: string): Promise<TimeZoneReport> {
  const script = `
    const { SnowflakeBackend } = require(${JSON.stringify(join(__dirname, '../../../subgraphs/kit/backends/snowflake.ts'))});
    const { createLogger } = require(${JSON.stringify(join(__dirname, '../../../core/logger.ts'))});
    (async () => {
      const backend = new SnowflakeBackend(JSON.parse(process.env.PROBE_OPTIONS), createLogger({ level: 'silent' }));
      const rows = await backend.query({ sql: 'SELECT * FROM "MESH"."FLIGHTS"."VALUES"', params: [] });
      await backend.close();
      const offsetMinutes = new Date(Date.UTC(2024, 2, 10)).getTimezoneOffset();
      process.stdout.write(JSON.stringify({ offsetMinutes, rows }));
    })();
  `;
  const env = { ...process.env, TZ: zone, PROBE_OPTIONS: JSON.stringify(passwordOptions(fake)), SNOWFLAKE_PASSWORD: PASSWORD };
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--eval', script], { env, cwd: join(__dirname, '../../..') });
  return JSON.parse(stdout) as TimeZoneReport;
}

describe('SnowflakeBackend values under another host time zone', () => {
  let fake: FakeSnowflake;
  let report: TimeZoneReport;

  beforeAll(async () => {
    fake = await startFake();
    fake.reply = () => rows({ columns: VALUE_COLUMNS, rows: [VALUE_ROW] });
    report = await queryUnderTimeZone(fake, 'Asia/Kolkata');
  });

  afterAll(async () => {
    await fake.stop();
  });

  it('runs the query in a zone 5:30 ahead of UTC', () => {
    expect(report.offsetMinutes).toBe(-330);
  });

  it('returns the same timestamps and dates as in UTC', () => {
    const { DEPARTED_AT, NANOS_AT, BEFORE_EPOCH, LANDED_IST, LANDED_EST, BOOKED_AT, FLIGHT_DATE } = EXPECTED_VALUES;

    expect(report.rows[0]).toMatchObject({ DEPARTED_AT, NANOS_AT, BEFORE_EPOCH, LANDED_IST, LANDED_EST, BOOKED_AT, FLIGHT_DATE });
  });
});

describe('SnowflakeBackend result streaming', () => {
  let fake: FakeSnowflake;
  let backend: SnowflakeBackend;

  const LEG_COLUMNS: FakeColumn[] = [
    { name: 'SEQ', type: 'fixed', precision: 38, scale: 0 },
    { name: 'LEG_ID', type: 'text' },
  ];
  const LEG_ROWS = Array.from({ length: 600 }, (_, i) => [String(9007199254740000 + i), `leg-${i}`]);

  beforeEach(async () => {
    fake = await startFake();
    backend = new SnowflakeBackend(passwordOptions(fake), capturingLogger().logger, ENVIRONMENT);
  });

  afterEach(async () => {
    await backend.close();
    await fake.stop();
  });

  it('reads every row of a chunked result in order', async () => {
    fake.reply = () => rows({ columns: LEG_COLUMNS, rows: LEG_ROWS, rowsPerChunk: 250 });

    const result = await backend.query({ sql: 'SELECT "SEQ", "LEG_ID" FROM "LEGS" ORDER BY "SEQ"', params: [] });

    expect(result.map((row) => [row.SEQ, row.LEG_ID])).toEqual(LEG_ROWS);
  });

  it('downloads each further chunk with its decryption key', async () => {
    fake.reply = () => rows({ columns: LEG_COLUMNS, rows: LEG_ROWS, rowsPerChunk: 250 });

    await backend.query({ sql: 'SELECT "SEQ", "LEG_ID" FROM "LEGS" ORDER BY "SEQ"', params: [] });

    expect(fake.chunks.map((chunk) => chunk.path)).toEqual([
      '/result-chunks/01b3c0de-0000-7a3f-0000-000000000001/0',
      '/result-chunks/01b3c0de-0000-7a3f-0000-000000000001/1',
    ]);
    expect(fake.chunks.map((chunk) => chunk.encryptionKey)).toEqual(['ZmFrZS1xdWVyeS1yZXN1bHQtbWFzdGVyLWtleQ==', 'ZmFrZS1xdWVyeS1yZXN1bHQtbWFzdGVyLWtleQ==']);
  });

  it('waits for the result of a long-running query', async () => {
    fake.reply = () => ({ kind: 'running', then: rows({ columns: LEG_COLUMNS, rows: LEG_ROWS.slice(0, 3) }) });

    const result = await backend.query({ sql: 'SELECT "SEQ", "LEG_ID" FROM "LEGS" LIMIT 3', params: [] });

    expect(result).toEqual([
      { SEQ: '9007199254740000', LEG_ID: 'leg-0' },
      { SEQ: '9007199254740001', LEG_ID: 'leg-1' },
      { SEQ: '9007199254740002', LEG_ID: 'leg-2' },
    ]);
    expect(fake.requests).toContain('GET /queries/01b3c0de-0000-7a3f-0000-000000000001/result');
  });
});

describe('SnowflakeBackend errors', () => {
  let fake: FakeSnowflake;
  let backend: SnowflakeBackend;
  let lines: string[];

  beforeEach(async () => {
    fake = await startFake();
    const capture = capturingLogger();
    lines = capture.lines;
    backend = new SnowflakeBackend(passwordOptions(fake, { timeoutMs: 1_000 }), capture.logger, ENVIRONMENT);
    await backend.connect();
  });

  afterEach(async () => {
    await backend.close();
    await fake.stop();
  });

  const missingTable: FakeQueryReply = {
    kind: 'error',
    code: '002003',
    sqlState: '42S02',
    message: "SQL compilation error:\nObject 'MESH.FLIGHTS.NOPE' does not exist or not authorized.",
  };

  it("reports Snowflake's error code, SQL state and message", async () => {
    fake.reply = () => missingTable;

    const error = await rejection(backend.query({ sql: 'SELECT * FROM "NOPE" WHERE "ID" = CAST(:1 AS VARCHAR)', params: ['f01'] }));

    expect(error.message).toBe(
      "The Snowflake query failed (query id 01b3c0de-0000-7a3f-0000-000000000001): 002003 (SQL state 42S02) SQL compilation error: Object 'MESH.FLIGHTS.NOPE' does not exist or not authorized.",
    );
    expect(error.extensions).toMatchObject({ code: 'BACKEND_QUERY_FAILED', queryId: '01b3c0de-0000-7a3f-0000-000000000001' });
  });

  it('hides a bind value that the error message quotes', async () => {
    fake.reply = () => ({ kind: 'error', code: '100038', sqlState: '22018', message: "Numeric value 'secret-tail-4242' is not recognized" });

    const error = await rejection(backend.query({ sql: 'SELECT CAST(:1 AS NUMBER(38,0))', params: ['secret-tail-4242'] }));

    expect(error.message).toBe("The Snowflake query failed (query id 01b3c0de-0000-7a3f-0000-000000000001): 100038 (SQL state 22018) Numeric value '?' is not recognized");
  });

  it('reports an HTTP error status', async () => {
    fake.reply = () => ({ kind: 'httpStatus', status: 400 });

    const error = await rejection(backend.query({ sql: 'SELECT 1', params: [] }));

    expect(error.message).toBe('The Snowflake query failed: Request to Snowflake failed. HTTP status 400.');
    expect(error.extensions.code).toBe('BACKEND_QUERY_FAILED');
  });

  it('cancels a statement that outlasts timeoutMs', async () => {
    fake.reply = () => ({ kind: 'stall' });
    const started = Date.now();

    const error = await rejection(backend.query({ sql: 'SELECT SYSTEM$WAIT(600)', params: [] }));
    const elapsed = Date.now() - started;
    await eventually(() => fake.aborts.length === 1);

    expect(error.message).toBe('The Snowflake statement timed out after 1000 ms and was cancelled.');
    expect(error.extensions).toMatchObject({ code: 'BACKEND_QUERY_FAILED', timeoutMs: 1000 });
    expect(elapsed).toBeGreaterThanOrEqual(990);
    expect(elapsed).toBeLessThan(3_000);
    expect(fake.aborts).toEqual([fake.queries[0].requestId]);
  });

  it('rejects a structured OBJECT value instead of rounding it', async () => {
    const route: FakeColumn = { name: 'ROUTE', type: 'object', fields: [{ name: 'legs', type: 'fixed', precision: 38, scale: 0 }] };
    fake.reply = () => rows({ columns: [route], rows: [['{"legs": 12345678901234567890}']] });

    const error = await rejection(backend.query({ sql: 'SELECT "ROUTE" FROM "ROUTES"', params: [] }));

    expect(error.message).toBe(
      'The Snowflake query failed (query id 01b3c0de-0000-7a3f-0000-000000000001): Column "ROUTE" is a structured OBJECT, which snowflake-sdk ' +
        'parses into JS numbers that round integers above 2^53; cast it to VARIANT in the view the data product reads.',
    );
  });

  it('logs the SQL text and query id of a failed statement', async () => {
    fake.reply = () => missingTable;

    await rejection(backend.query({ sql: 'SELECT * FROM "NOPE" WHERE "ID" = CAST(:1 AS VARCHAR)', params: ['secret-tail-4242'] }));
    const failure = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => entry.msg === 'snowflake statement failed');

    expect(failure).toMatchObject({
      sql: 'SELECT * FROM "NOPE" WHERE "ID" = CAST(:1 AS VARCHAR)',
      queryId: '01b3c0de-0000-7a3f-0000-000000000001',
      snowflakeCode: '002003',
    });
  });

  it('logs neither bind values nor the password', async () => {
    fake.reply = () => ({ kind: 'error', code: '100038', sqlState: '22018', message: "Numeric value 'secret-tail-4242' is not recognized" });

    await rejection(backend.query({ sql: 'SELECT CAST(:1 AS NUMBER(38,0))', params: ['secret-tail-4242'] }));
    const log = lines.join('');

    expect(log).not.toContain('secret-tail-4242');
    expect(log).not.toContain(PASSWORD);
  });
});

describe('SnowflakeBackend describe', () => {
  let fake: FakeSnowflake;
  let backend: SnowflakeBackend;

  beforeEach(async () => {
    fake = await startFake();
    backend = new SnowflakeBackend(passwordOptions(fake), capturingLogger().logger, ENVIRONMENT);
  });

  afterEach(async () => {
    await backend.close();
    await fake.stop();
  });

  it('reads the columns of SELECT * … LIMIT 0', async () => {
    await backend.describe('"MESH"."FLIGHTS"."LEGS"');

    expect(fake.queries[0].sqlText).toBe('SELECT * FROM "MESH"."FLIGHTS"."LEGS" LIMIT 0');
  });

  it('maps result columns to type names that CAST accepts', async () => {
    const columns: FakeColumn[] = [
      { name: 'ID', type: 'fixed', precision: 38, scale: 0 },
      { name: 'FARE', type: 'fixed', precision: 10, scale: 2 },
      { name: 'RATIO', type: 'real' },
      { name: 'ORIGIN', type: 'text' },
      { name: 'CANCELLED', type: 'boolean' },
      { name: 'FLIGHT_DATE', type: 'date' },
      { name: 'DEPARTED_AT', type: 'timestamp_ntz', scale: 9 },
      { name: 'LANDED_AT', type: 'timestamp_tz', scale: 9 },
      { name: 'BOOKED_AT', type: 'timestamp_ltz', scale: 9 },
      { name: 'PAYLOAD', type: 'variant' },
      { name: 'ATTRIBUTES', type: 'object' },
      { name: 'TAGS', type: 'array' },
      { name: 'CHECKSUM', type: 'binary' },
    ];
    fake.reply = () => rows({ columns, rows: [] });

    const types = await backend.describe('"MESH"."FLIGHTS"."LEGS"');

    expect(Object.fromEntries(types)).toEqual({
      ID: 'NUMBER(38,0)',
      FARE: 'NUMBER(10,2)',
      RATIO: 'FLOAT',
      ORIGIN: 'VARCHAR',
      CANCELLED: 'BOOLEAN',
      FLIGHT_DATE: 'DATE',
      DEPARTED_AT: 'TIMESTAMP_NTZ',
      LANDED_AT: 'TIMESTAMP_TZ',
      BOOKED_AT: 'TIMESTAMP_LTZ',
      PAYLOAD: 'VARIANT',
      ATTRIBUTES: 'OBJECT',
      TAGS: 'ARRAY',
      CHECKSUM: 'BINARY',
    });
  });
});

describe('exact values through a data product', () => {
  const sdl = `
    type Reading @key(fields: "id") @table(name: "readings") {
      id: BigInt!
      amount: Decimal
      payload: JSON
      takenAt: DateTime @column(name: "taken_at")
      localTime: LocalDateTime @column(name: "local_time")
      day: Date
    }`;
  const columns: FakeColumn[] = [
    { name: 'ID', type: 'fixed', precision: 38, scale: 0 },
    { name: 'AMOUNT', type: 'fixed', precision: 38, scale: 9 },
    { name: 'PAYLOAD', type: 'variant' },
    { name: 'TAKEN_AT', type: 'timestamp_tz', scale: 9 },
    { name: 'LOCAL_TIME', type: 'timestamp_ntz', scale: 9 },
    { name: 'DAY', type: 'date' },
  ];
  const aliases = ['id', 'amount', 'payload', 'takenAt', 'localTime', 'day'];
  const payload = '{\n  "big": 12345678901234567890,\n  "n": 9999999999999999\n}';
  let fake: FakeSnowflake;
  let backend: SnowflakeBackend;
  let data: unknown;

  beforeAll(async () => {
    fake = await startFake();
    fake.reply = (query) => {
      if (query.sqlText.endsWith('LIMIT 0')) return { kind: 'rows', result: { columns, rows: [] } };
      const aliased = [...columns.map((column, i) => ({ ...column, name: aliases[i] })), { name: '__order_0', type: 'fixed', precision: 38, scale: 0 }];
      const rows = [
        ['9999999999999999', '12345678901234567890.123456789', payload, '1710032523.123456000 1770', '1710032523.123456789', '19792', '9999999999999999'],
        ['99999999999999999999999999999999999999', '-0.000000001', '[1, 12345678901234567890]', '-0.000001000 1140', '-1.000001000', '0', '99999999999999999999999999999999999999'],
      ];
      return { kind: 'rows', result: { columns: aliased, rows } };
    };
    backend = await openSnowflakeBackend(passwordOptions(fake), capturingLogger().logger, ENVIRONMENT);
    const relation = (table: string) => ['MESH', 'FLIGHTS', table.toUpperCase()].map((name) => snowflakeDialect.quoteIdentifier(name)).join('.');
    const product = await createDataProduct({ sdl, backendKind: 'warehouse', backend, relation, pagination: { defaultPageSize: 10, maxPageSize: 100 } });
    const schema = buildSubgraphSchema([{ typeDefs: product.typeDefs, resolvers: product.resolvers }]);
    const result = await graphql({ schema, source: '{ readings { nodes { id amount payload takenAt localTime day } } }', contextValue: {} });
    expect(result.errors).toBeUndefined();
    data = result.data;
  });

  afterAll(async () => {
    await backend.close();
    await fake.stop();
  });

  it('reads the upper-case columns', () => {
    const page = fake.queries.map((query) => query.sqlText).find((sql) => !sql.endsWith('LIMIT 0'));

    expect(page).toContain('"ID" AS "id", "AMOUNT" AS "amount"');
    expect(page).toContain('FROM "MESH"."FLIGHTS"."READINGS"');
  });

  it('returns every digit and fraction', () => {
    expect(data).toEqual({
      readings: {
        nodes: [
          {
            id: '9999999999999999',
            amount: '12345678901234567890.123456789',
            payload,
            takenAt: '2024-03-10T01:02:03.123456Z',
            localTime: '2024-03-10T01:02:03.123456789',
            day: '2024-03-10',
          },
          {
            id: '99999999999999999999999999999999999999',
            amount: '-0.000000001',
            payload: '[1, 12345678901234567890]',
            takenAt: '1969-12-31T23:59:59.999999Z',
            localTime: '1969-12-31T23:59:58.999999',
            day: '1970-01-01',
          },
        ],
      },
    });
  });
});

describe('snowflakeBackendSchema', () => {
  const base = { kind: 'snowflake', account: ACCOUNT, username: READER, accessUrl: 'http://127.0.0.1:1', ...CONTEXT };

  function issues(input: Record<string, unknown>): string[] {
    const result = snowflakeBackendSchema.safeParse(input);
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  }

  it('fills the authenticator, pool size and timeout defaults', () => {
    const config = snowflakeBackendSchema.parse({ ...base, passwordEnv: 'SNOWFLAKE_PASSWORD' });

    expect(config).toMatchObject({ authenticator: 'password', poolSize: 4, timeoutMs: 60_000 });
  });

  it('requires passwordEnv for password authentication', () => {
    expect(issues(base)).toEqual(['passwordEnv: set passwordEnv when authenticator is password']);
  });

  it('requires privateKeyFile for key-pair authentication', () => {
    expect(issues({ ...base, authenticator: 'keypair' })).toEqual(['privateKeyFile: set privateKeyFile when authenticator is keypair']);
  });

  it("rejects the other method's credential options", () => {
    expect(issues({ ...base, passwordEnv: 'SNOWFLAKE_PASSWORD', privateKeyFile: '/run/secrets/rsa_key.p8' })).toEqual([
      'privateKeyFile: privateKeyFile is used only with authenticator keypair; remove it or set authenticator to keypair',
    ]);
  });

  it('requires accessUrl', () => {
    const { accessUrl: _unused, ...withoutUrl } = base;

    expect(issues({ ...withoutUrl, passwordEnv: 'SNOWFLAKE_PASSWORD' })).toEqual(['accessUrl: Invalid input: expected string, received undefined']);
  });

  it('rejects an unknown option', () => {
    expect(issues({ ...base, passwordEnv: 'SNOWFLAKE_PASSWORD', password: 'inline' })).toHaveLength(1);
  });
});
