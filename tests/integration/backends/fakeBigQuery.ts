import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback, loopbackUrl, readBody, sendJson } from '../inference/fakeHttp.js';

/** A schema field as the REST API sends it (`TableFieldSchema`), with legacy type names such as INTEGER. */
export interface FakeField {
  readonly name: string;
  readonly type: string;
  readonly mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  readonly fields?: readonly FakeField[];
  readonly precision?: string;
  readonly scale?: string;
  readonly maxLength?: string;
  readonly rangeElementType?: { readonly type: string };
}

/** An error as BigQuery reports it: HTTP status, reason and message of its `ErrorProto`. */
export interface FakeError {
  readonly status: number;
  readonly reason: string;
  readonly message: string;
}

/** The result the fake returns for one SQL text. */
export interface FakeResult {
  readonly schema: readonly FakeField[];
  /** Cell values exactly as they go on the wire (`{"v": …}`), null for SQL NULL. */
  readonly rows?: ReadonlyArray<ReadonlyArray<string | null>>;
  /** `totalBytesProcessed` of a dry run, as the decimal string the API sends. */
  readonly totalBytesProcessed?: string;
  /** Number of `getQueryResults` calls that return `jobComplete: false` before the results. */
  readonly incompletePolls?: number;
  /** Fails `jobs.insert` with an HTTP error. */
  readonly insertError?: FakeError;
  /** Makes `jobs.insert` return HTTP 200 and a job whose status already carries this error. */
  readonly jobStatusError?: Omit<FakeError, 'status'>;
  /** Fails `getQueryResults` with an HTTP error, as BigQuery does for a job that failed. */
  readonly resultsError?: FakeError;
  /** Number of first `getQueryResults` calls that fail with `resultsError`. Without it, every call fails. */
  readonly resultsErrorTimes?: number;
  /** Keeps every `getQueryResults` call open this long without a response and then drops the connection. */
  readonly stallMs?: number;
}

/** One request as the fake received it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

interface FakeJob {
  readonly projectId: string;
  readonly jobId: string;
  readonly location: string;
  readonly result: FakeResult;
  readonly configuration: unknown;
  polls: number;
  resultCalls: number;
}

/** A named query parameter as `jobs.insert` carries it. */
export interface FakeQueryParameter {
  readonly name: string;
  readonly parameterType: { readonly type: string };
  readonly parameterValue: { readonly value?: string };
}

interface JobInsertBody {
  readonly configuration: { readonly dryRun?: boolean; readonly query: { readonly query: string; readonly queryParameters?: readonly FakeQueryParameter[] } };
  readonly jobReference: { readonly projectId: string; readonly jobId?: string; readonly location?: string };
}

const API_PREFIX = /^\/bigquery\/v2\/projects\/([^/]+)\/(.+)$/;

/**
 * A BigQuery on 127.0.0.1 that speaks the REST wire format of the jobs API as
 * `@google-cloud/bigquery` 8 uses it: `jobs.insert` (dry runs included), `jobs.getQueryResults`
 * with `maxResults` and `pageToken`, `jobs.get` and `jobs.cancel`. It returns for each SQL text the
 * result registered for it, and records every request, including any to other paths such as a
 * metadata server's `/computeMetadata/v1/…`.
 */
export class FakeBigQuery {
  readonly requests: RecordedRequest[] = [];
  private readonly results = new Map<string, FakeResult>();
  /** Computes the result of a SQL text no result is registered for; by default there is none. */
  resolve: (sql: string, parameters: readonly FakeQueryParameter[], dryRun: boolean) => Promise<FakeResult | undefined> = () => Promise.resolve(undefined);
  private readonly jobs = new Map<string, FakeJob>();
  private readonly stalls = new Set<NodeJS.Timeout>();
  // Assigned by `start`, which needs the instance for the request handler before the server exists.
  private server!: Server;

  private constructor() {}

  static async start(): Promise<FakeBigQuery> {
    const fake = new FakeBigQuery();
    fake.server = await listenOnLoopback((request, response) => fake.handle(request, response));
    return fake;
  }

  /** The base URL, which a client takes as its `apiEndpoint`. */
  get url(): string {
    return loopbackUrl(this.server);
  }

  /** `host:port`, for `GCE_METADATA_HOST`, so that a metadata lookup would land here and be recorded. */
  get host(): string {
    return new URL(this.url).host;
  }

  /** Registers the result of `sql`. A job for any other SQL fails with `invalidQuery`. */
  respond(sql: string, result: FakeResult): void {
    this.results.set(sql, result);
  }

  /** Returns the recorded requests whose path (without the `/bigquery/v2/projects/{p}` prefix) starts with `prefix`. */
  requestsTo(method: string, prefix: string): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && apiPath(request.path)?.rest.startsWith(prefix));
  }

  async stop(): Promise<void> {
    for (const stall of this.stalls) clearTimeout(stall);
    await closeServer(this.server);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const text = await readBody(request);
    const recorded: RecordedRequest = {
      method: request.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      body: text === '' ? undefined : JSON.parse(text),
    };
    this.requests.push(recorded);
    await this.route(recorded, response);
  }

  private route(request: RecordedRequest, response: ServerResponse): void | Promise<void> {
    const api = apiPath(request.path);
    const segments = api?.rest.split('/') ?? [];
    if (api && request.method === 'POST' && api.rest === 'jobs') return this.insertJob(api.projectId, request, response);
    if (api && request.method === 'GET' && segments[0] === 'queries' && segments.length === 2) return this.queryResults(segments[1], request, response);
    if (api && request.method === 'GET' && segments[0] === 'jobs' && segments.length === 2) return this.getJob(segments[1], response);
    if (api && request.method === 'POST' && segments[0] === 'jobs' && segments[2] === 'cancel') return this.cancelJob(segments[1], response);
    sendError(response, { status: 404, reason: 'notFound', message: `Not found: ${request.method} ${request.path}` });
  }

  private async insertJob(projectId: string, request: RecordedRequest, response: ServerResponse): Promise<void> {
    const body = request.body as JobInsertBody;
    const location = body.jobReference.location ?? 'US';
    const { query, queryParameters = [] } = body.configuration.query;
    const result = this.results.get(query) ?? (await this.resolve(query, queryParameters, body.configuration.dryRun === true));
    if (result === undefined) {
      return sendError(response, { status: 400, reason: 'invalidQuery', message: 'The fake has no result for this SQL.' });
    }
    if (result.insertError) return sendError(response, result.insertError);
    if (body.configuration.dryRun) return sendJson(response, 200, dryRunJob(projectId, location, body.configuration, result));

    const jobId = body.jobReference.jobId ?? `job_${this.jobs.size + 1}`;
    const job: FakeJob = { projectId, jobId, location, result, configuration: body.configuration, polls: 0, resultCalls: 0 };
    this.jobs.set(jobId, job);
    const failed = result.jobStatusError;
    const status = failed === undefined ? { state: 'RUNNING' } : { state: 'DONE', errorResult: failed, errors: [failed] };
    sendJson(response, 200, jobResource(job, status));
  }

  private queryResults(jobId: string, request: RecordedRequest, response: ServerResponse): void {
    const job = this.jobs.get(jobId);
    if (job === undefined) return sendError(response, { status: 404, reason: 'notFound', message: `Not found: Job ${jobId}` });
    const { result } = job;
    job.resultCalls += 1;

    if (result.stallMs !== undefined) return this.stall(response, result.stallMs);
    if (result.resultsError && job.resultCalls <= (result.resultsErrorTimes ?? Infinity)) return sendError(response, result.resultsError);
    if (job.polls < (result.incompletePolls ?? 0)) {
      job.polls += 1;
      return sendJson(response, 200, { kind: 'bigquery#getQueryResultsResponse', etag: 'fake', jobReference: jobReference(job), jobComplete: false });
    }
    sendJson(response, 200, resultsPage(job, request.query));
  }

  private getJob(jobId: string, response: ServerResponse): void {
    const job = this.jobs.get(jobId);
    if (job === undefined) return sendError(response, { status: 404, reason: 'notFound', message: `Not found: Job ${jobId}` });
    sendJson(response, 200, jobResource(job, { state: 'DONE' }));
  }

  private cancelJob(jobId: string, response: ServerResponse): void {
    const job = this.jobs.get(jobId);
    if (job === undefined) return sendError(response, { status: 404, reason: 'notFound', message: `Not found: Job ${jobId}` });
    sendJson(response, 200, { kind: 'bigquery#jobCancelResponse', job: jobResource(job, { state: 'DONE' }) });
  }

  private stall(response: ServerResponse, stallMs: number): void {
    const timer = setTimeout(() => {
      this.stalls.delete(timer);
      response.destroy();
    }, stallMs);
    this.stalls.add(timer);
  }
}

function apiPath(path: string): { projectId: string; rest: string } | undefined {
  const match = API_PREFIX.exec(path);
  return match ? { projectId: decodeURIComponent(match[1]), rest: match[2] } : undefined;
}

/** The page token of the page starting at `offset`, with characters that must be escaped in a query string. */
export function pageToken(offset: number): string {
  return `page+${offset}/=`;
}

function offsetOf(token: string | undefined): number {
  if (token === undefined) return 0;
  const match = /^page\+(\d+)\/=$/.exec(token);
  if (!match) throw new Error(`unknown page token ${token}`);
  return Number(match[1]);
}

function jobReference(job: FakeJob): Record<string, string> {
  return { projectId: job.projectId, jobId: job.jobId, location: job.location };
}

function jobResource(job: FakeJob, status: Record<string, unknown>): Record<string, unknown> {
  return {
    kind: 'bigquery#job',
    etag: 'fake',
    id: `${job.projectId}:${job.location}.${job.jobId}`,
    jobReference: jobReference(job),
    configuration: job.configuration,
    statistics: { creationTime: '1700000000000', startTime: '1700000000100', query: { statementType: 'SELECT' } },
    status,
  };
}

/** Builds a dry-run job: no job id, state DONE, the bytes and the schema in `statistics.query`. */
function dryRunJob(projectId: string, location: string, configuration: unknown, result: FakeResult): Record<string, unknown> {
  const bytes = result.totalBytesProcessed ?? '0';
  return {
    kind: 'bigquery#job',
    etag: 'fake',
    jobReference: { projectId, location },
    configuration,
    statistics: {
      creationTime: '1700000000000',
      totalBytesProcessed: bytes,
      query: { totalBytesProcessed: bytes, totalBytesBilled: '0', cacheHit: false, statementType: 'SELECT', schema: { fields: result.schema } },
    },
    status: { state: 'DONE' },
  };
}

/** Builds one page of `getQueryResults`, cut at `maxResults` from the offset the page token names. */
function resultsPage(job: FakeJob, query: Readonly<Record<string, string>>): Record<string, unknown> {
  const rows = job.result.rows ?? [];
  const offset = offsetOf(query.pageToken);
  const size = query.maxResults === undefined ? rows.length : Number(query.maxResults);
  const end = Math.min(offset + size, rows.length);
  const page = rows.slice(offset, end).map((row) => ({ f: row.map((v) => ({ v })) }));
  return {
    kind: 'bigquery#getQueryResultsResponse',
    etag: 'fake',
    schema: { fields: job.result.schema },
    jobReference: jobReference(job),
    totalRows: String(rows.length),
    // The API leaves `rows` out of an empty page.
    ...(page.length === 0 ? {} : { rows: page }),
    ...(end < rows.length ? { pageToken: pageToken(end) } : {}),
    totalBytesProcessed: '0',
    jobComplete: true,
    cacheHit: false,
  };
}

/** Sends BigQuery's error body: `{"error": {code, message, errors: [ErrorProto], status}}`. */
function sendError(response: ServerResponse, error: FakeError): void {
  sendJson(response, error.status, {
    error: {
      code: error.status,
      message: error.message,
      errors: [{ message: error.message, domain: 'global', reason: error.reason }],
      status: statusName(error.status),
    },
  });
}

/** Returns the `google.rpc.Code` name that Google APIs put next to an HTTP status. */
function statusName(status: number): string {
  if (status === 404) return 'NOT_FOUND';
  if (status >= 500) return 'INTERNAL';
  return 'INVALID_ARGUMENT';
}
