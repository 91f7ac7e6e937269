import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { addAbortSignal } from 'node:stream';
import type { GraphQLError } from 'graphql';
import type { Column, Connection, ConnectionOptions, RowStatement, SnowflakeError } from 'snowflake-sdk';
import type { SnowflakeBackendConfig } from '../../../core/config/sections/snowflake.js';
import { errors } from '../../../core/errors/index.js';
import type { Logger } from '../../../core/logger.js';
import { StatementLog, type Row, type SqlBackend } from '../backend.js';
import { snowflakeDialect } from '../sql/dialect.js';
import type { Statement } from '../sql/statement.js';
import { FETCH_AS_STRING, castableType, rowReader } from './snowflakeColumns.js';

type SnowflakeSdk = typeof import('snowflake-sdk');
type SessionPool = ReturnType<SnowflakeSdk['createPool']>;
type Bind = string | number | boolean | null;

/** Options of a Snowflake backend: its validated configuration section, defaults filled. */
export type SnowflakeBackendOptions = SnowflakeBackendConfig;

/** Environment variables that `passwordEnv` and `privateKeyPassphraseEnv` name. */
export type CredentialEnvironment = Readonly<Record<string, string | undefined>>;

/** The columns and rows of one statement, with the query id Snowflake gave it. */
interface StatementResult {
  readonly columns: readonly Column[];
  readonly rows: Row[];
  readonly queryId: string | undefined;
}

/** A statement sent to Snowflake: the SDK's handle, its result to come and a way to give it up. */
interface RunningStatement {
  readonly handle: RowStatement;
  readonly result: Promise<StatementResult>;
  /** Stops reading rows and sends Snowflake an abort request for the statement. */
  stop(onCancelFailed: (error: Error) => void): void;
}

/** The deadline of a statement passed before its last row was read. */
class StatementTimeout extends Error {}

/**
 * Runs the engine's parameterised statements on Snowflake through a pool of `snowflake-sdk`
 * sessions. Parameters travel as binds (`:1`, `:2`, … in the SQL text), never inside it.
 *
 * Results are streamed, result chunks included, and converted to the engine's row form without
 * rounding. NUMBER and semi-structured values keep the text the server sent, and timestamps are
 * built from their exact seconds and nanoseconds (`snowflakeColumns.ts`), so no value depends on
 * the host's time zone.
 */
export class SnowflakeBackend implements SqlBackend {
  readonly kind = 'snowflake';
  readonly dialect = snowflakeDialect;
  private readonly pool: SessionPool;
  private readonly logger: Logger;
  private readonly log = new StatementLog();

  /**
   * Creates the session pool. No session opens before the first statement or `connect()`.
   *
   * @throws Error when a credential the configuration names is missing or unreadable: an unset
   *   `passwordEnv` or `privateKeyPassphraseEnv` variable, or a `privateKeyFile` that is not a
   *   readable PEM private key.
   */
  constructor(
    private readonly options: SnowflakeBackendOptions,
    logger: Logger,
    environment: CredentialEnvironment = process.env,
  ) {
    this.logger = logger.child({ component: 'snowflake', account: options.account });
    const sdk = loadSnowflakeSdk(logger);
    const connectionOptions = { ...sessionOptions(options), ...authenticationOptions(options, environment) };
    this.pool = sdk.createPool(connectionOptions, { max: options.poolSize, min: 0, acquireTimeoutMillis: options.timeoutMs });
  }

  /** Number of statements run so far, for checking batching in tests and benchmarks. */
  get statementsRun(): number {
    return this.log.statementsRun;
  }

  /** Calls `listener` with every statement before it runs; returns a function that removes it. */
  onStatement(listener: (statement: Statement) => void): () => void {
    return this.log.onStatement(listener);
  }

  /**
   * Opens one session and returns it to the pool, so that wrong credentials or an unreachable
   * account show at startup instead of at the first request.
   *
   * @throws BACKEND_QUERY_FAILED naming the account, the user and the authentication method
   */
  async connect(): Promise<void> {
    const session = await this.acquire();
    await this.pool.release(session);
    const { warehouse, database, schema, role, authenticator } = this.options;
    this.logger.info({ warehouse, database, schema, role, authenticator }, 'snowflake session opened');
  }

  /**
   * Runs one statement with `params[i]` bound to `:{i+1}` and returns all its rows in the row form.
   *
   * @throws BACKEND_QUERY_FAILED when the login, the statement or a result download fails, or when
   *   the statement outlasts `timeoutMs`, which cancels it. The message carries Snowflake's error
   *   code and text, with bind values replaced by `?`.
   */
  async query(statement: Statement): Promise<Row[]> {
    return (await this.run(statement)).rows;
  }

  /**
   * Column names and Snowflake type names (as `CAST` accepts them) of `SELECT * FROM <from>`;
   * `from` is SQL of the declared schema, a quoted table name or a subquery, never input.
   */
  async describe(from: string): Promise<Map<string, string>> {
    const { columns } = await this.run({ sql: `SELECT * FROM ${from} LIMIT 0`, params: [] });
    return new Map(columns.map((column) => [column.getName(), castableType(column)]));
  }

  /** Waits for running statements and logins in progress, then logs out every session of the pool. */
  async close(): Promise<void> {
    await this.pool.drain();
    await this.pool.clear();
    this.logger.info('snowflake backend closed');
  }

  private async run(statement: Statement): Promise<StatementResult> {
    this.log.record(statement);

    const session = await this.acquire();
    try {
      return await this.execute(session, statement);
    } finally {
      await this.pool.release(session);
    }
  }

  private async acquire(): Promise<Connection> {
    try {
      return await this.pool.acquire();
    } catch (error) {
      throw this.sessionFailed(error as Error);
    }
  }

  private async execute(session: Connection, statement: Statement): Promise<StatementResult> {
    const started = performance.now();
    const running = startStatement(session, statement);
    try {
      const result = await withinTimeout(running.result, this.options.timeoutMs);
      const ms = Math.round(performance.now() - started);
      this.logger.debug({ sql: statement.sql, queryId: result.queryId, rows: result.rows.length, ms }, 'statement run');
      return result;
    } catch (error) {
      if (!(error instanceof StatementTimeout)) throw this.statementFailed(error as SnowflakeError, statement, running.handle);
      this.cancel(running);
      throw this.timedOut(statement, running.handle);
    }
  }

  private cancel(running: RunningStatement): void {
    running.stop((error) => this.logger.warn({ queryId: running.handle.getQueryId(), detail: error.message }, 'snowflake statement cancel failed'));
  }

  private sessionFailed(error: Error): GraphQLError {
    const { account, username, authenticator, timeoutMs, poolSize, accessUrl } = this.options;
    if (error.name === 'TimeoutError') {
      this.logger.error({ timeoutMs, poolSize, accessUrl }, 'no snowflake session within the timeout');
      return errors.BACKEND_QUERY_FAILED.error(
        `No Snowflake session of account "${account}" became available within ${timeoutMs} ms (pool of ${poolSize}): ` +
          `the login to ${accessUrl} did not finish, or every session is busy. Check that accessUrl is reachable.`,
      );
    }
    const method = authenticator === 'password' ? 'password' : 'key-pair (SNOWFLAKE_JWT)';
    this.logger.error({ username, authenticator, detail: error.message }, 'snowflake login failed');
    return errors.BACKEND_QUERY_FAILED.error(
      `Snowflake login to account "${account}" as user "${username}" with ${method} authentication failed: ${error.message}`,
    );
  }

  private timedOut(statement: Statement, handle: RowStatement): GraphQLError {
    const { timeoutMs } = this.options;
    const queryId = handle.getQueryId();
    this.logger.error({ sql: statement.sql, queryId, requestId: handle.getRequestId(), timeoutMs }, 'snowflake statement timed out');
    const where = queryId === undefined ? '' : ` (query id ${queryId})`;
    return errors.BACKEND_QUERY_FAILED.error(`The Snowflake statement timed out after ${timeoutMs} ms and was cancelled${where}.`, { timeoutMs });
  }

  private statementFailed(error: SnowflakeError, statement: Statement, handle: RowStatement): GraphQLError {
    const queryId = handle.getQueryId() ?? (error.data?.queryId as string | undefined);
    const detail = redactBindValues(describeSnowflakeError(error), statement.params);
    this.logger.error({ sql: statement.sql, queryId, snowflakeCode: error.code, sqlState: error.sqlState, detail }, 'snowflake statement failed');
    const where = queryId === undefined ? '' : ` (query id ${queryId})`;
    return errors.BACKEND_QUERY_FAILED.error(`The Snowflake query failed${where}: ${detail}`, queryId === undefined ? {} : { queryId });
  }
}

/**
 * Opens a Snowflake backend and logs in once, so that a wrong configuration fails at startup.
 *
 * @throws Error for a missing or unreadable credential, BACKEND_QUERY_FAILED when the login fails
 */
export async function openSnowflakeBackend(
  options: SnowflakeBackendOptions,
  logger: Logger,
  environment: CredentialEnvironment = process.env,
): Promise<SnowflakeBackend> {
  const backend = new SnowflakeBackend(options, logger, environment);
  try {
    await backend.connect();
  } catch (error) {
    // Closing waits for logins still in progress, which the SDK retries for minutes against an
    // unreachable accessUrl, so the failure is reported without waiting for it.
    backend.close().catch((closeError: Error) => logger.warn({ detail: closeError.message }, 'snowflake backend close failed'));
    throw error;
  }
  return backend;
}

/**
 * Loads snowflake-sdk with its outbound probes off and its log routed to pino.
 *
 * When snowflake-sdk 3.x is first loaded, it queries cloud metadata endpoints (169.254.169.254,
 * metadata.google.internal) and AWS STS to detect the platform it runs on, unless
 * SNOWFLAKE_DISABLE_PLATFORM_DETECTION is set (`lib/telemetry/platform_detection.js`). So the
 * variable is set before the first `require`. SF_TELEMETRY_DISABLE_CONNECTION_SHAPE stops the
 * report of the connection options' shape that the SDK sends after each login.
 *
 * Without a custom logger the SDK writes a `snowflake.log` file and the console. Its ERROR lines
 * contain no row values, but its precision-loss warnings quote them, so the level is ERROR.
 *
 * NOTE: a module that loads snowflake-sdk before this one has already started the probes.
 */
function loadSnowflakeSdk(logger: Logger): SnowflakeSdk {
  process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';
  process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE ??= 'true';
  // The SDK must load after the variables above are set, which a hoisted import would not allow.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('snowflake-sdk') as SnowflakeSdk;
  // OCSP checks are off by default in snowflake-sdk 3.x, and the option keeps them off if a later version changes that.
  sdk.configure({ logLevel: 'ERROR', customLogger: logger.child({ library: 'snowflake-sdk' }), disableOCSPChecks: true });
  return sdk;
}

/** Session options of every pooled connection, credentials aside. */
function sessionOptions(options: SnowflakeBackendOptions): ConnectionOptions {
  return {
    account: options.account,
    username: options.username,
    warehouse: options.warehouse,
    database: options.database,
    schema: options.schema,
    role: options.role,
    accessUrl: options.accessUrl,
    // Without it the SDK returns a NULL fetched as a string (every NUMBER here) as the text "NULL".
    representNullAsStringNull: false,
  };
}

/** The SDK's authenticator and secret for the configured method, read from the environment or the key file. */
function authenticationOptions(options: SnowflakeBackendOptions, environment: CredentialEnvironment): ConnectionOptions {
  if (options.authenticator === 'password') {
    return { authenticator: 'SNOWFLAKE', password: readSecret(environment, options.passwordEnv, 'passwordEnv', 'the password') };
  }
  return { authenticator: 'SNOWFLAKE_JWT', privateKey: readPrivateKey(options, environment) };
}

function readSecret(environment: CredentialEnvironment, variable: string | undefined, option: string, secret: string): string {
  const value = variable === undefined ? undefined : environment[variable];
  if (value === undefined || value === '') {
    throw new Error(`Snowflake ${option}: environment variable ${variable ?? '(none configured)'} is missing or empty. Set it to ${secret}.`);
  }
  return value;
}

/** Reads and, with its passphrase, decrypts the private key, returning it as unencrypted PKCS#8 PEM. */
function readPrivateKey(options: SnowflakeBackendOptions, environment: CredentialEnvironment): string {
  const file = options.privateKeyFile;
  if (file === undefined) throw new Error('Snowflake privateKeyFile: missing. Key-pair authentication needs the PEM file of the private key.');

  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Snowflake privateKeyFile: cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }

  const passphraseEnv = options.privateKeyPassphraseEnv;
  const passphrase = passphraseEnv === undefined ? undefined : readSecret(environment, passphraseEnv, 'privateKeyPassphraseEnv', 'the passphrase of the private key');
  try {
    return createPrivateKey({ key: pem, format: 'pem', passphrase }).export({ format: 'pem', type: 'pkcs8' }).toString();
  } catch (error) {
    const withPassphrase = passphraseEnv === undefined ? 'without a passphrase' : `with the passphrase in ${passphraseEnv}`;
    throw new Error(`Snowflake privateKeyFile: ${file} is not a PEM private key that opens ${withPassphrase}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Sends a statement with streamed results. Its rows are read once Snowflake reports the statement complete. */
function startStatement(session: Connection, statement: Statement): RunningStatement {
  const reading = new AbortController();
  let handle!: RowStatement;
  const completed = new Promise<void>((resolve, reject) => {
    handle = session.execute({
      sqlText: statement.sql,
      binds: statement.params.map(toBind),
      streamResult: true,
      fetchAsString: FETCH_AS_STRING,
      rowMode: 'array',
      complete: (error) => (error ? reject(error) : resolve()),
    });
  });

  return {
    handle,
    result: completed.then(() => readResult(handle, reading.signal)),
    stop(onCancelFailed) {
      reading.abort();
      handle.cancel((error) => {
        if (error) onCancelFailed(error);
      });
    },
  };
}

/** Streams every row of a completed statement, fetching result chunks as the stream reaches them. */
async function readResult(handle: RowStatement, signal: AbortSignal): Promise<StatementResult> {
  const columns = handle.getColumns() ?? [];
  const toRow = rowReader(columns);
  const rows: Row[] = [];
  for await (const values of addAbortSignal(signal, handle.streamRows())) {
    rows.push(toRow(values as unknown[]));
  }
  return { columns, rows, queryId: handle.getQueryId() };
}

/** Settles with `work`, or rejects with StatementTimeout after `timeoutMs`. */
async function withinTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StatementTimeout()), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Converts a statement parameter to an SDK bind, and a bigint to its decimal text. */
function toBind(value: unknown): Bind {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new TypeError(`A Snowflake bind must be a string, finite number, boolean, bigint or null; found a ${typeof value}.`);
}

/**
 * Describes an SDK error: Snowflake's own error code, SQL state and message when the service
 * sent them, otherwise the HTTP status or the network failure.
 */
function describeSnowflakeError(error: SnowflakeError): string {
  const message = error.message.replace(/\s*\n\s*/g, ' ');
  if (typeof error.code === 'string') {
    const state = error.sqlState === undefined ? '' : ` (SQL state ${error.sqlState})`;
    return `${error.code}${state} ${message}`;
  }
  const status = (error.response as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof status === 'number') return `${message} HTTP status ${status}.`;
  if (error.cause !== undefined) return `${message} ${error.cause.message}`;
  return message;
}

/**
 * Replaces each bind value that a server message quotes (`'value'`) with `'?'`. Snowflake quotes
 * the values it cannot convert, as in "Numeric value 'abc' is not recognized", and a bind value
 * must reach neither the client nor the log.
 */
function redactBindValues(message: string, params: readonly unknown[]): string {
  let redacted = message;
  for (const param of params) {
    if (param === null || param === undefined || typeof param === 'object') continue;
    redacted = redacted.split(`'${String(param)}'`).join("'?'");
  }
  return redacted;
}
