import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { BigQuery, common, type Job, type JobMetadata, type JobOptions, type QueryParameter, type TableField } from '@google-cloud/bigquery';
import { JWT, OAuth2Client, type AuthClient } from 'google-auth-library';
import { GraphQLError } from 'graphql';
import type { BigQueryBackendConfig } from '../../../core/config/sections/bigquery.js';
import { errors } from '../../../core/errors/index.js';
import type { Logger } from '../../../core/logger.js';
import { StatementLog, type Row, type SqlBackend } from '../backend.js';
import { bigQueryDialect } from '../sql/dialect.js';
import type { Statement } from '../sql/statement.js';
import { googleSqlType, rowReader, type WireRow } from './bigQueryColumns.js';

/** OAuth 2.0 scope of the BigQuery API, the narrowest one that allows creating query jobs. */
const BIGQUERY_SCOPE = 'https://www.googleapis.com/auth/bigquery';

/** The configuration of a BigQuery backend with its credentials resolved to an auth client. */
export type BigQueryBackendOptions = Omit<BigQueryBackendConfig, 'kind' | 'keyFile' | 'credentialsEnv' | 'accessTokenEnv'> & {
  /** Signs every request. The backend never looks credentials up itself, so it sends no request to a metadata server. */
  readonly authClient: AuthClient;
};

/** A page of `jobs.getQueryResults`, the fields this backend reads. */
interface QueryResultsPage {
  readonly jobComplete?: boolean;
  readonly schema?: { readonly fields?: TableField[] };
  readonly rows?: readonly WireRow[];
  readonly pageToken?: string;
}

/** One statement while it runs: the time it must finish by and, once BigQuery created it, its job. */
interface StatementRun {
  readonly statement: Statement;
  /** Epoch milliseconds. */
  readonly deadline: number;
  job?: Job;
}

/** The `timeoutMs` of a statement passed before its last page was read. */
class StatementTimeoutError extends Error {}

/**
 * Runs the data-product engine's statements as BigQuery GoogleSQL query jobs through
 * `@google-cloud/bigquery`: `jobs.insert` with named parameters, then `jobs.getQueryResults`
 * page by page until the last `pageToken`. Rows come back in the engine's row form, read from the
 * REST values directly so that nothing passes through a JavaScript number or Date: INT64 as
 * decimal text, NUMERIC and BIGNUMERIC as plain decimal text, TIMESTAMP from int64 microseconds.
 *
 * RECORD (STRUCT), REPEATED (ARRAY) and RANGE columns cannot be read, so a statement that selects
 * one fails.
 */
export class BigQueryBackend implements SqlBackend {
  readonly kind = 'bigquery';
  readonly dialect = bigQueryDialect;
  private readonly client: BigQuery;
  private readonly log = new StatementLog();

  constructor(
    private readonly options: BigQueryBackendOptions,
    private readonly logger: Logger,
  ) {
    this.client = new BigQuery({
      projectId: options.projectId,
      location: options.location,
      apiEndpoint: options.apiEndpoint,
      authClient: options.authClient,
      // The client counts `totalTimeout` in seconds. A retry that would start after the statement's
      // timeout is not sent.
      retryOptions: { autoRetry: options.maxRetries > 0, maxRetries: options.maxRetries, totalTimeout: options.timeoutMs / 1000 },
    });
  }

  /** Number of statements run so far. Dry runs, `describe` included, do not count because they run no query. */
  get statementsRun(): number {
    return this.log.statementsRun;
  }

  /** Calls `listener` with every statement before it runs; returns a function that removes it. */
  onStatement(listener: (statement: Statement) => void): () => void {
    return this.log.onStatement(listener);
  }

  /**
   * Runs one statement as a query job and returns every row of every result page.
   *
   * @throws BACKEND_QUERY_FAILED naming BigQuery's error reason (`invalidQuery`,
   *   `bytesBilledLimitExceeded`, `notFound`, …), a timeout after `timeoutMs`, or a column type
   *   the backend cannot read. BigQuery's own message is logged with the SQL and the job id.
   */
  async query(statement: Statement): Promise<Row[]> {
    this.log.record(statement);

    const started = performance.now();
    const run = this.startRun(statement);
    const rows = await this.withinTimeout(run, this.readAllRows(run));
    this.logger.debug({ sql: statement.sql, jobId: run.job?.id, rows: rows.length, ms: Math.round(performance.now() - started) }, 'statement run');
    return rows;
  }

  /**
   * Validates a statement with a dry-run job and returns the bytes it would process, which is
   * what BigQuery bills for on-demand pricing. A dry run is free and runs nothing.
   *
   * @throws BACKEND_QUERY_FAILED as `query` does.
   */
  async dryRun(statement: Statement): Promise<bigint> {
    const job = await this.dryRunJob(statement);
    const bytes = job.statistics?.query?.totalBytesProcessed ?? job.statistics?.totalBytesProcessed;
    if (bytes === undefined || bytes === null) {
      throw errors.BACKEND_QUERY_FAILED.error('The BigQuery dry run returned no totalBytesProcessed.');
    }
    this.logger.debug({ sql: statement.sql, totalBytesProcessed: String(bytes) }, 'statement dry run');
    return BigInt(bytes);
  }

  /**
   * Reads the columns of `SELECT * FROM <from>` and their GoogleSQL type names from the schema of a
   * dry run: INT64, FLOAT64, BOOL, NUMERIC and BIGNUMERIC without precision and scale,
   * STRUCT<…> for RECORD, ARRAY<…> for REPEATED and RANGE<…> for RANGE columns.
   */
  async describe(from: string): Promise<Map<string, string>> {
    const job = await this.dryRunJob({ sql: `SELECT * FROM ${from}`, params: [] });
    const fields = job.statistics?.query?.schema?.fields;
    if (fields === undefined) {
      throw errors.BACKEND_QUERY_FAILED.error(`The BigQuery dry run of ${from} returned no schema.`);
    }
    return new Map(fields.map((field) => [String(field.name), googleSqlType(field)]));
  }

  /**
   * Releases nothing: the HTTP connections are in a keep-alive pool that teeny-request shares
   * across the process, and a job still running stops at `timeoutMs`.
   */
  async close(): Promise<void> {}

  private startRun(statement: Statement): StatementRun {
    return { statement, deadline: Date.now() + this.options.timeoutMs };
  }

  private dryRunJob(statement: Statement): Promise<JobMetadata> {
    return this.withinTimeout(this.startRun(statement), this.insertDryRun(statement));
  }

  private async insertDryRun(statement: Statement): Promise<JobMetadata> {
    const [, metadata] = await this.client.createJob(this.jobRequest(statement, true));
    return metadata;
  }

  /** Settles with `work`, or with a timeout error once the statement's deadline passes, and translates every failure. */
  private async withinTimeout<T>(run: StatementRun, work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new StatementTimeoutError()), run.deadline - Date.now());
    });
    try {
      return await Promise.race([work, timeout]);
    } catch (error) {
      throw this.translate(error, run);
    } finally {
      clearTimeout(timer);
    }
  }

  private async readAllRows(run: StatementRun): Promise<Row[]> {
    const [job] = await this.client.createJob(this.jobRequest(run.statement, false));
    run.job = job;

    let page = await this.fetchResults(run, job, undefined);
    while (page.jobComplete === false) page = await this.fetchResults(run, job, undefined);

    const readRow = rowReader(page.schema?.fields ?? []);
    const rows: Row[] = [];
    for (const row of page.rows ?? []) rows.push(readRow(row));
    while (page.pageToken) {
      page = await this.fetchResults(run, job, page.pageToken);
      for (const row of page.rows ?? []) rows.push(readRow(row));
    }
    return rows;
  }

  /**
   * Requests one page of results. BigQuery keeps the request open until the job completes or
   * `timeoutMs` of the request passes, and then returns `jobComplete: false`.
   */
  private fetchResults(run: StatementRun, job: Job, pageToken: string | undefined): Promise<QueryResultsPage> {
    const remainingMs = run.deadline - Date.now();
    if (remainingMs <= 0) return Promise.reject(new StatementTimeoutError());

    const query: Record<string, string | number | boolean> = {
      location: job.location ?? this.options.location,
      maxResults: this.options.pageSize,
      timeoutMs: remainingMs,
      // TIMESTAMP values as int64 microseconds, because the default is floating-point seconds.
      'formatOptions.useInt64Timestamp': true,
    };
    if (pageToken !== undefined) query.pageToken = pageToken;
    return requestJson<QueryResultsPage>(this.client, `/queries/${encodeURIComponent(String(job.id))}`, query);
  }

  private jobRequest(statement: Statement, dryRun: boolean): JobOptions {
    const { projectId, dataset, maximumBytesBilled, timeoutMs, location } = this.options;
    return {
      configuration: {
        query: {
          query: statement.sql,
          useLegacySql: false,
          parameterMode: 'NAMED',
          queryParameters: statement.params.map(toQueryParameter),
          defaultDataset: { projectId, datasetId: dataset },
          ...(maximumBytesBilled === undefined ? {} : { maximumBytesBilled }),
        },
        dryRun,
        jobTimeoutMs: String(timeoutMs),
      },
      location,
    };
  }

  private translate(error: unknown, run: StatementRun): GraphQLError {
    const sql = run.statement.sql;
    const jobId = run.job?.id;
    if (error instanceof StatementTimeoutError) {
      if (run.job !== undefined) this.cancel(run.job);
      this.logger.error({ sql, jobId, timeoutMs: this.options.timeoutMs }, 'BigQuery statement timed out');
      return errors.BACKEND_QUERY_FAILED.error(timeoutMessage(jobId, this.options.timeoutMs), { reason: 'timeout' });
    }
    if (error instanceof GraphQLError) {
      this.logger.error({ sql, jobId, reason: error.extensions.reason, message: error.message }, 'BigQuery statement failed');
      return error;
    }

    const failure = describeFailure(error);
    // NOTE: parameter values are removed from BigQuery's message, but a message that quotes a
    // stored value (a failed CAST of a column, for example) still reaches the log with it.
    const message = withoutParameterValues(failure.message, run.statement.params);
    this.logger.error({ sql, jobId, status: failure.status, reason: failure.reason, message }, 'BigQuery statement failed');
    return errors.BACKEND_QUERY_FAILED.error(failureMessage(failure, jobId), { reason: failure.reason });
  }

  /** Requests the cancellation of a job the backend stopped waiting for. Without it, `jobTimeoutMs` stops the job later. */
  private cancel(job: Job): void {
    job.cancel().then(
      () => this.logger.info({ jobId: job.id }, 'BigQuery job cancelled'),
      (error: unknown) => this.logger.warn({ jobId: job.id, err: error }, 'BigQuery job cancellation failed'),
    );
  }
}

/**
 * Opens a BigQuery backend from its configuration, loading the credentials from the one source it
 * names.
 *
 * @throws Error naming the key file or environment variable when it is missing, unreadable or not
 *   a service-account key. The message never contains the key or the token.
 */
export async function openBigQueryBackend(config: BigQueryBackendConfig, logger: Logger): Promise<BigQueryBackend> {
  const authClient = await loadCredentials(config);
  logger.info({ projectId: config.projectId, dataset: config.dataset, location: config.location, apiEndpoint: config.apiEndpoint }, 'BigQuery backend opened');
  return new BigQueryBackend({ ...config, authClient }, logger);
}

/** Builds the auth client from the key file, the key in an environment variable, or the access token in one. */
async function loadCredentials(config: BigQueryBackendConfig): Promise<AuthClient> {
  if (config.keyFile !== undefined) {
    const text = await readFile(config.keyFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new Error(`BigQuery keyFile ${config.keyFile} cannot be read (${error.code ?? error.message}).`);
    });
    return serviceAccountClient(text, `keyFile ${config.keyFile}`);
  }
  if (config.credentialsEnv !== undefined) {
    return serviceAccountClient(readEnvironment(config.credentialsEnv, 'credentialsEnv'), `environment variable ${config.credentialsEnv}`);
  }
  if (config.accessTokenEnv !== undefined) {
    const client = new OAuth2Client();
    client.setCredentials({ access_token: readEnvironment(config.accessTokenEnv, 'accessTokenEnv') });
    return client;
  }
  throw new Error('BigQuery credentials are missing: set keyFile, credentialsEnv or accessTokenEnv.');
}

function readEnvironment(name: string, option: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`BigQuery credentials: environment variable ${name} is not set or is empty; set it, or name another variable in the backend's ${option}.`);
  }
  return value;
}

/**
 * Builds a client that signs each request with a self-signed JWT carrying the BigQuery scope, as
 * Google's client libraries do for service accounts, so no token endpoint is called.
 */
function serviceAccountClient(keyText: string, source: string): JWT {
  let key: Record<string, unknown>;
  try {
    key = (JSON.parse(keyText) ?? {}) as Record<string, unknown>;
  } catch {
    // The parser's message can quote the key's text, so it is not passed on.
    throw new Error(`BigQuery credentials in ${source} are not valid JSON.`);
  }
  if (key.type !== 'service_account' || typeof key.client_email !== 'string' || typeof key.private_key !== 'string') {
    throw new Error(`BigQuery credentials in ${source} are not a service-account key: expected type "service_account", client_email and private_key.`);
  }
  try {
    createPrivateKey(key.private_key);
  } catch {
    // OpenSSL's message does not describe the problem with the key, and a parser message could quote it.
    throw new Error(`BigQuery credentials in ${source}: private_key is not a PEM private key; download the service-account key again.`);
  }

  const client = new JWT({
    email: key.client_email,
    key: key.private_key,
    keyId: typeof key.private_key_id === 'string' ? key.private_key_id : undefined,
    scopes: [BIGQUERY_SCOPE],
  });
  client.useJWTAccessWithScope = true;
  return client;
}

/** Sends one GET through the client, so that it carries the client's authorization and retries. */
function requestJson<T>(client: BigQuery, uri: string, query: Record<string, string | number | boolean>): Promise<T> {
  return new Promise((resolve, reject) => {
    client.request({ uri, qs: query }, (error, body) => (error ? reject(error) : resolve(body as T)));
  });
}

/**
 * Binds `params[i]` to `@p{i+1}` with the GoogleSQL type of its JavaScript value, its value as text.
 * The statement casts every parameter to its column's type, so a string binds to any column type.
 */
function toQueryParameter(value: unknown, index: number): QueryParameter {
  const name = `p${index + 1}`;
  switch (typeof value) {
    case 'string':
      return { name, parameterType: { type: 'STRING' }, parameterValue: { value } };
    case 'boolean':
      return { name, parameterType: { type: 'BOOL' }, parameterValue: { value: String(value) } };
    case 'bigint':
      return { name, parameterType: { type: 'INT64' }, parameterValue: { value: value.toString() } };
    case 'number':
      return { name, parameterType: { type: Number.isSafeInteger(value) ? 'INT64' : 'FLOAT64' }, parameterValue: { value: String(value) } };
  }
  if (value === null || value === undefined) {
    // A parameter value without `value` is SQL NULL.
    return { name, parameterType: { type: 'STRING' }, parameterValue: {} };
  }
  throw errors.BACKEND_QUERY_FAILED.error(`Query parameter ${name} is a JavaScript ${typeof value}, which the BigQuery backend cannot bind.`);
}

/** Failure of a request or a job: the HTTP status, BigQuery's reason and its message. */
interface Failure {
  readonly status?: number;
  readonly reason: string;
  readonly message: string;
}

function describeFailure(error: unknown): Failure {
  if (error instanceof common.ApiError) {
    const first = error.errors?.[0];
    return { status: error.code, reason: first?.reason ?? 'unknown', message: first?.message ?? error.message };
  }
  const code = (error as NodeJS.ErrnoException).code;
  const message = (error as Error).message;
  return { reason: 'requestFailed', message: code === undefined ? message : `${code}: ${message}` };
}

/**
 * Advice by error reason, after the reasons table of BigQuery's "Error messages" page
 * (cloud.google.com/bigquery/docs/error-messages), plus `bytesBilledLimitExceeded`, the reason of
 * a query above maximumBytesBilled, and `requestFailed` for a request that got no HTTP response.
 */
const REASON_ADVICE: Readonly<Record<string, string>> = {
  invalidQuery: 'BigQuery found the SQL invalid for the tables it reads; check that the mapped columns exist with the mapped types',
  invalid: 'BigQuery rejected the job request as invalid',
  bytesBilledLimitExceeded: 'the query would bill more bytes than maximumBytesBilled allows; raise maximumBytesBilled or narrow the request',
  notFound: 'a table, dataset or job of the query was not found; check projectId, dataset, location and the mapped table names',
  accessDenied: 'the credentials lack a permission the query needs, such as bigquery.jobs.create on the project or read access to the tables',
  billingNotEnabled: 'billing is not enabled for the project',
  quotaExceeded: 'a BigQuery quota is used up; retry later or raise the quota',
  rateLimitExceeded: 'BigQuery limited the request rate; retry later',
  resourcesExceeded: 'the query used more resources than BigQuery allows; narrow the request',
  responseTooLarge: 'the query result is larger than BigQuery returns from a query; narrow the request',
  timeout: 'BigQuery stopped the job at timeoutMs; raise timeoutMs or narrow the request',
  backendError: 'BigQuery had an internal error; retry the request',
  internalError: 'BigQuery had an internal error; retry the request',
  jobBackendError: 'BigQuery had an internal error; retry the request',
  jobInternalError: 'BigQuery had an internal error; retry the request',
  requestFailed: 'no HTTP response arrived from BigQuery; check apiEndpoint and the network',
};

function failureMessage(failure: Failure, jobId: string | undefined): string {
  const cause = failure.status === undefined ? failure.reason : `${failure.reason}, HTTP ${failure.status}`;
  const advice = REASON_ADVICE[failure.reason];
  const job = jobId === undefined ? '' : ` for job ${jobId}`;
  const first = advice === undefined ? `BigQuery failed to run the query (${cause}).` : `BigQuery failed to run the query (${cause}): ${advice}.`;
  return `${first} The subgraph log has the details${job}.`;
}

function timeoutMessage(jobId: string | undefined, timeoutMs: number): string {
  const subject = jobId === undefined ? 'BigQuery did not create the query job' : `BigQuery job ${jobId} did not finish`;
  const cancellation = jobId === undefined ? '' : ' The backend requested its cancellation.';
  return `${subject} within timeoutMs (${timeoutMs} ms).${cancellation} Raise timeoutMs or narrow the request.`;
}

/** Replaces the text of each parameter value in `message`, because BigQuery quotes the values that fail a CAST. */
function withoutParameterValues(message: string, params: readonly unknown[]): string {
  let redacted = message;
  for (const value of params) {
    if (value === null || value === undefined) continue;
    const text = String(value);
    if (text !== '') redacted = redacted.split(text).join('[parameter]');
  }
  return redacted;
}
