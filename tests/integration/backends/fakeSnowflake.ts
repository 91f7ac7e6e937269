import { createHash, type KeyObject } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { jwtVerify } from 'jose';
import { closeServer, listenOnLoopback, loopbackUrl, sendJson } from '../inference/fakeHttp.js';

/** A result column as Snowflake describes it in `data.rowtype`; `type` is Snowflake's lower-case type name. */
export interface FakeColumn {
  readonly name: string;
  readonly type: string;
  readonly precision?: number;
  readonly scale?: number;
  /** Field types of a structured OBJECT, ARRAY or MAP; semi-structured columns have none. */
  readonly fields?: readonly FakeColumn[];
}

/**
 * Rows of a result in Snowflake's JSON result format: every value a string or null. With
 * `rowsPerChunk`, the first chunk travels in `data.rowset` and the others are downloaded from
 * `data.chunks` URLs, gzip-compressed, as Snowflake serves large results from cloud storage.
 */
export interface FakeResultSet {
  readonly columns: readonly FakeColumn[];
  readonly rows: ReadonlyArray<ReadonlyArray<string | null>>;
  readonly rowsPerChunk?: number;
}

/** What the fake does with one query request. */
export type FakeQueryReply =
  | { readonly kind: 'rows'; readonly result: FakeResultSet }
  | { readonly kind: 'error'; readonly code: string; readonly message: string; readonly sqlState: string }
  | { readonly kind: 'httpStatus'; readonly status: number }
  /** Holds the request open until the client sends an abort request for it. */
  | { readonly kind: 'stall' }
  /** Replies `333333` (query still running) with a result URL that serves `then`. */
  | { readonly kind: 'running'; readonly then: FakeQueryReply };

/** A user the fake lets log in, with a password or the public key of a key pair. */
export interface FakeUser {
  readonly username: string;
  readonly password?: string;
  readonly publicKey?: KeyObject;
}

/** One login request: the session context in its URL and the `data` object of its body. */
export interface LoginRecord {
  readonly context: Record<string, string>;
  readonly data: Record<string, unknown>;
}

/** One query request as the client sent it. */
export interface QueryRecord {
  readonly sqlText: string;
  readonly bindings: Record<string, { type: string; value: unknown }> | undefined;
  readonly requestId: string;
  readonly sessionToken: string | undefined;
}

/** One result chunk download, with the headers that carry the chunk's decryption key on S3. */
export interface ChunkRecord {
  readonly path: string;
  readonly encryptionKey: string | undefined;
}

interface Session {
  readonly token: string;
  readonly username: string;
}

/** Session parameters with Snowflake's defaults, sent in login and query responses as the service does. */
const SESSION_PARAMETERS = [
  { name: 'TIMEZONE', value: 'America/Los_Angeles' },
  { name: 'TIMESTAMP_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM' },
  { name: 'TIMESTAMP_NTZ_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3' },
  { name: 'TIMESTAMP_LTZ_OUTPUT_FORMAT', value: '' },
  { name: 'TIMESTAMP_TZ_OUTPUT_FORMAT', value: '' },
  { name: 'DATE_OUTPUT_FORMAT', value: 'YYYY-MM-DD' },
  { name: 'TIME_OUTPUT_FORMAT', value: 'HH24:MI:SS' },
  { name: 'BINARY_OUTPUT_FORMAT', value: 'HEX' },
];

/** The key Snowflake sends for decrypting result chunks on S3 (server-side encryption with a customer key). */
const CHUNK_KEY = 'ZmFrZS1xdWVyeS1yZXN1bHQtbWFzdGVyLWtleQ==';

/**
 * A Snowflake service on 127.0.0.1 speaking the REST protocol of snowflake-sdk: password and
 * key-pair (JWT) logins, query requests with binds, results in the JSON result format, result
 * chunks, long-running queries, aborts, telemetry and logouts. It records every request.
 */
export class FakeSnowflake {
  readonly logins: LoginRecord[] = [];
  readonly queries: QueryRecord[] = [];
  /** Request ids of abort requests. */
  readonly aborts: string[] = [];
  readonly chunks: ChunkRecord[] = [];
  /** Session tokens of logouts (`POST /session?delete=true`). */
  readonly logouts: string[] = [];
  /** Every request as `METHOD path`, query string left out. */
  readonly requests: string[] = [];
  /** Time the fake waits before it replies to a login, in milliseconds, to act as a slow login. */
  loginDelayMs = 0;
  /** Decides the reply to each query request; by default an empty result. */
  reply: (query: QueryRecord) => FakeQueryReply | Promise<FakeQueryReply> = () => ({ kind: 'rows', result: { columns: [], rows: [] } });

  private readonly sessions = new Map<string, Session>();
  private readonly stalled = new Map<string, ServerResponse>();
  private readonly pendingResults = new Map<string, FakeQueryReply>();
  private readonly chunkBodies = new Map<string, Buffer>();
  private queryCount = 0;
  private server!: Server;

  private constructor(
    private readonly account: string,
    private readonly users: readonly FakeUser[],
  ) {}

  /** Starts the fake for `account` on a port the kernel picks. */
  static async start(account: string, users: readonly FakeUser[]): Promise<FakeSnowflake> {
    const fake = new FakeSnowflake(account, users);
    fake.server = await listenOnLoopback((request, response) => fake.handle(request, response));
    return fake;
  }

  get url(): string {
    return loopbackUrl(this.server);
  }

  /** Replies to stalled queries with a cancellation, so that no client keeps retrying, and stops the server. */
  async stop(): Promise<void> {
    for (const requestId of [...this.stalled.keys()]) this.cancelStalled(requestId);
    await closeServer(this.server);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    this.requests.push(`${request.method} ${url.pathname}`);
    const body = await readJsonBody(request);
    const token = sessionToken(request);

    if (url.pathname === '/session/v1/login-request') return this.login(url, body, response);
    if (url.pathname === '/queries/v1/query-request') return this.query(url, body, token, response);
    if (url.pathname === '/queries/v1/abort-request') return this.abort(body, response);
    if (url.pathname.startsWith('/result-chunks/')) return this.chunk(url, request, response);
    if (url.pathname.startsWith('/queries/') && url.pathname.endsWith('/result')) return this.pendingResult(url, response);
    if (url.pathname === '/session' && url.searchParams.get('delete') === 'true') return this.logout(token, response);
    if (url.pathname === '/telemetry/send' || url.pathname === '/session/heartbeat') return sendJson(response, 200, success(null));
    sendJson(response, 404, { success: false, code: null, message: `the fake does not serve ${url.pathname}`, data: null });
  }

  private async login(url: URL, body: Record<string, unknown>, response: ServerResponse): Promise<void> {
    const data = (body.data ?? {}) as Record<string, unknown>;
    this.logins.push({ context: Object.fromEntries(url.searchParams), data });
    if (this.loginDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.loginDelayMs));

    const user = this.users.find((candidate) => candidate.username === data.LOGIN_NAME);
    const failure = await this.checkCredentials(data, user);
    if (failure !== undefined) return sendJson(response, 200, failure);

    const token = `session-${this.sessions.size + 1}`;
    this.sessions.set(token, { token, username: user!.username });
    sendJson(response, 200, success(loginData(token, url)));
  }

  /** Returns Snowflake's failure body for a login that must fail, or undefined when it succeeds. */
  private async checkCredentials(data: Record<string, unknown>, user: FakeUser | undefined): Promise<object | undefined> {
    if (String(data.ACCOUNT_NAME).toUpperCase() !== this.account.toUpperCase() || user === undefined) {
      return failure('390100', 'Incorrect username or password was specified.');
    }
    if (data.AUTHENTICATOR === 'SNOWFLAKE_JWT') {
      const valid = user.publicKey !== undefined && (await isValidKeyPairToken(String(data.TOKEN), user.publicKey, this.account, user.username));
      return valid ? undefined : failure('390144', 'JWT token is invalid.');
    }
    return user.password !== undefined && data.PASSWORD === user.password ? undefined : failure('390100', 'Incorrect username or password was specified.');
  }

  private async query(url: URL, body: Record<string, unknown>, token: string | undefined, response: ServerResponse): Promise<void> {
    const requestId = url.searchParams.get('requestId') ?? '';
    const record: QueryRecord = {
      sqlText: String(body.sqlText),
      bindings: body.bindings as QueryRecord['bindings'],
      requestId,
      sessionToken: token,
    };
    this.queries.push(record);
    if (token === undefined || !this.sessions.has(token)) {
      return sendJson(response, 200, failure('390104', 'Authentication token is invalid.'));
    }
    this.send(await this.reply(record), this.nextQueryId(), requestId, response);
  }

  private send(reply: FakeQueryReply, queryId: string, requestId: string, response: ServerResponse): void {
    switch (reply.kind) {
      case 'rows':
        return sendJson(response, 200, success(this.resultData(reply.result, queryId)));
      case 'error':
        return sendJson(response, 200, failure(reply.code, reply.message, { queryId, sqlState: reply.sqlState, errorCode: reply.code }));
      case 'httpStatus':
        return sendJson(response, reply.status, { success: false, code: null, message: null, data: null });
      case 'stall':
        this.stalled.set(requestId, response);
        return;
      case 'running':
        this.pendingResults.set(queryId, reply.then);
        return sendJson(response, 200, { ...success({ queryId, getResultUrl: `/queries/${queryId}/result` }), code: '333333' });
    }
  }

  private resultData(result: FakeResultSet, queryId: string): Record<string, unknown> {
    const perChunk = result.rowsPerChunk ?? Math.max(result.rows.length, 1);
    const [first = [], ...others] = splitRows(result.rows, perChunk);
    const chunks = others.map((rows, index) => {
      const path = `/result-chunks/${queryId}/${index}`;
      const text = rows.map((row) => JSON.stringify(row)).join(',');
      this.chunkBodies.set(path, gzipSync(text));
      return { url: `${this.url}${path}`, rowCount: rows.length, uncompressedSize: Buffer.byteLength(text) };
    });
    return {
      parameters: SESSION_PARAMETERS,
      rowtype: result.columns.map(rowType),
      rowset: first,
      total: result.rows.length,
      returned: result.rows.length,
      queryId,
      queryResultFormat: 'json',
      version: 1,
      statementTypeId: 4096,
      ...(chunks.length === 0 ? {} : { chunks, qrmk: CHUNK_KEY }),
    };
  }

  private chunk(url: URL, request: IncomingMessage, response: ServerResponse): void {
    const encryptionKey = request.headers['x-amz-server-side-encryption-customer-key'];
    this.chunks.push({ path: url.pathname, encryptionKey: typeof encryptionKey === 'string' ? encryptionKey : undefined });
    const body = this.chunkBodies.get(url.pathname);
    if (body === undefined) return sendJson(response, 404, {});
    response.writeHead(200, { 'content-type': 'binary/octet-stream', 'content-encoding': 'gzip' });
    response.end(body);
  }

  private pendingResult(url: URL, response: ServerResponse): void {
    const queryId = url.pathname.split('/')[2];
    const reply = this.pendingResults.get(queryId);
    if (reply === undefined) return sendJson(response, 200, failure('000709', `Statement ${queryId} not found`));
    this.pendingResults.delete(queryId);
    this.send(reply, queryId, '', response);
  }

  private abort(body: Record<string, unknown>, response: ServerResponse): void {
    const requestId = String(body.requestId);
    this.aborts.push(requestId);
    this.cancelStalled(requestId);
    sendJson(response, 200, success(null));
  }

  private cancelStalled(requestId: string): void {
    const stalled = this.stalled.get(requestId);
    if (stalled === undefined) return;
    this.stalled.delete(requestId);
    sendJson(stalled, 200, failure('000604', 'SQL execution canceled', { sqlState: '57014' }));
  }

  private logout(token: string | undefined, response: ServerResponse): void {
    if (token !== undefined) {
      this.logouts.push(token);
      this.sessions.delete(token);
    }
    sendJson(response, 200, success(null));
  }

  private nextQueryId(): string {
    this.queryCount += 1;
    return `01b3c0de-0000-7a3f-0000-${String(this.queryCount).padStart(12, '0')}`;
  }
}

/**
 * Checks a key-pair login token as Snowflake does: an RS256 signature by the user's key, subject
 * `ACCOUNT.USER` and issuer `ACCOUNT.USER.SHA256:<base64 SHA-256 of the public key's DER SPKI>`.
 */
async function isValidKeyPairToken(token: string, publicKey: KeyObject, account: string, username: string): Promise<boolean> {
  const subject = `${account.toUpperCase()}.${username.toUpperCase()}`;
  const fingerprint = createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('base64');
  try {
    await jwtVerify(token, publicKey, { algorithms: ['RS256'], subject, issuer: `${subject}.SHA256:${fingerprint}` });
    return true;
  } catch {
    return false;
  }
}

/** Reads a JSON body that snowflake-sdk may send gzip-compressed; an empty body reads as `{}`. */
async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return {};
  // snowflake-sdk 3.x sets `Content-Encoding: gzip` before its asynchronous compression ends, so
  // the body may be plain JSON under that header. The gzip magic bytes tell which it is.
  const text = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  return JSON.parse(text) as Record<string, unknown>;
}

function sessionToken(request: IncomingMessage): string | undefined {
  const match = /^Snowflake Token="([^"]*)"$/.exec(request.headers.authorization ?? '');
  return match?.[1];
}

function loginData(token: string, url: URL): Record<string, unknown> {
  return {
    token,
    masterToken: `master-${token}`,
    validityInSeconds: 3600,
    masterValidityInSeconds: 14400,
    sessionId: Number(token.replace('session-', '')),
    parameters: SESSION_PARAMETERS,
    sessionInfo: {
      databaseName: url.searchParams.get('databaseName'),
      schemaName: url.searchParams.get('schemaName'),
      warehouseName: url.searchParams.get('warehouse'),
      roleName: url.searchParams.get('roleName'),
    },
  };
}

function rowType(column: FakeColumn): Record<string, unknown> {
  return {
    name: column.name,
    type: column.type,
    precision: column.precision ?? null,
    scale: column.scale ?? null,
    nullable: true,
    length: null,
    byteLength: null,
    database: '',
    schema: '',
    table: '',
    collation: null,
    ...(column.fields === undefined ? {} : { fields: column.fields.map(rowType) }),
  };
}

function splitRows<T>(rows: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let start = 0; start < rows.length; start += size) parts.push(rows.slice(start, start + size));
  return parts;
}

function success(data: unknown): Record<string, unknown> {
  return { data, code: null, message: null, success: true };
}

function failure(code: string, message: string, data: Record<string, unknown> = {}): Record<string, unknown> {
  return { data, code, message, success: false, headers: null };
}
