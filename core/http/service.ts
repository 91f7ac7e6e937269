import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { errors, type ErrorCode } from '../errors/index.js';
import type { Logger } from '../logger.js';

/** Per-request context of every meshgate service. */
export interface RequestContext extends BaseContext {
  /** Fields that gateway extensions add, such as the authenticated principal. */
  readonly [field: string]: unknown;
  readonly requestId: string;
  readonly logger: Logger;
  readonly request: IncomingMessage;
}

/** An extra HTTP route, such as `/metrics`. */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

export interface ServiceOptions<TContext extends RequestContext> {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly apollo: ApolloServer<TContext>;
  readonly logger: Logger;
  /** Extends the base context, for example with the authenticated principal. */
  readonly context?: (base: RequestContext) => Promise<TContext>;
  /** `/readyz` returns 200 only while this returns true. */
  readonly ready?: () => boolean;
  readonly routes?: Readonly<Record<string, RouteHandler>>;
  /** Largest accepted request body, in bytes. */
  readonly maxBodyBytes?: number;
  /** Time in-flight requests get to finish on close, in milliseconds. */
  readonly shutdownGraceMs?: number;
}

/** A running service. */
export interface ServiceHandle {
  readonly name: string;
  /** Base URL, `http://host:port`. */
  readonly url: string;
  readonly server: Server;
  /** Stops accepting requests, lets in-flight ones finish within the grace period, then stops Apollo. */
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }
}

/**
 * Serves an Apollo Server at `/graphql` with `/healthz`, `/readyz` and extra routes on node:http.
 * Apollo Server 5 has no built-in integration with custom routes, so this is the integration: it
 * parses the body, builds the context and hands the request to `executeHTTPGraphQLRequest`.
 */
export async function startService<TContext extends RequestContext>(options: ServiceOptions<TContext>): Promise<ServiceHandle> {
  const { apollo, logger } = options;
  await apollo.start();
  let accepting = true;

  const server = createServer((request, response) => {
    const requestId = headerValue(request, 'x-request-id') ?? randomUUID();
    response.setHeader('x-request-id', requestId);
    handle(options, request, response, requestId, () => accepting).catch((error: unknown) => {
      logger.error({ err: error, requestId }, 'request failed');
      if (!response.headersSent) sendError(response, errors.INTERNAL_SERVER_ERROR, 'Internal server error.');
      else response.end();
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${formatHost(address.address)}:${address.port}`;
  logger.info({ url }, 'service listening');

  return {
    name: options.name,
    url,
    server,
    close: async () => {
      accepting = false;
      await closeServer(server, options.shutdownGraceMs ?? 10_000);
      await apollo.stop();
      logger.info('service stopped');
    },
  };
}

async function handle<TContext extends RequestContext>(
  options: ServiceOptions<TContext>,
  request: IncomingMessage,
  response: ServerResponse,
  requestId: string,
  accepting: () => boolean,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://service.local');
  if (url.pathname === '/healthz') return sendJson(response, 200, { status: 'ok' });
  if (url.pathname === '/readyz') {
    const ready = accepting() && (options.ready?.() ?? true);
    return sendJson(response, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
  }
  const route = options.routes?.[url.pathname];
  if (route) return route(request, response);
  if (url.pathname !== '/graphql') return sendError(response, errors.NOT_FOUND, `No route at ${url.pathname}; send GraphQL requests to /graphql.`);

  let body: unknown;
  try {
    body = await readBody(request, options.maxBodyBytes ?? 1_048_576);
  } catch (error) {
    if (error instanceof HttpError) return sendError(response, error.code, error.message);
    throw error;
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const base: RequestContext = { requestId, logger: options.logger.child({ requestId }), request };
  const result = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (request.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
    context: async () => (options.context ? options.context(base) : (base as TContext)),
  });
  await writeApolloResponse(response, result);
}

async function writeApolloResponse(
  response: ServerResponse,
  result: Awaited<ReturnType<ApolloServer['executeHTTPGraphQLRequest']>>,
): Promise<void> {
  for (const [name, value] of result.headers) response.setHeader(name, value);
  response.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

async function readBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new HttpError(errors.PAYLOAD_TOO_LARGE, `The request body is larger than ${maxBytes} bytes.`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const type = headerValue(request, 'content-type') ?? '';
  if (!type.includes('json') || text === '') return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(errors.BAD_REQUEST, 'The request body is not valid JSON.');
  }
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, code: ErrorCode, message: string): void {
  sendJson(response, code.httpStatus, { errors: [{ message, extensions: { code: code.code } }] });
}

function formatHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
