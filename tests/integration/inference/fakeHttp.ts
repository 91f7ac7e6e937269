import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '../../../core/logger.js';

/** A request a fake received: its method, path, headers, parsed JSON body and arrival time. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
  /** `Date.now()` when the request arrived. */
  readonly receivedAt: number;
}

/**
 * A failure a fake responds to one request with: an HTTP status with an optional JSON body and
 * headers, a connection closed without a response (`reset`), or no response at all (`stall`).
 */
export type Fault = { readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> } | 'reset' | 'stall';

/**
 * Faults queued per route of a fake; each request to the route takes the next one, and is served
 * normally when none is left. A queued `serve` lets one request through, so that a fault hits a
 * later one.
 */
export class FaultQueue {
  private readonly queues = new Map<string, Array<Fault | 'serve'>>();

  add(route: string, ...faults: Array<Fault | 'serve'>): void {
    this.queues.set(route, [...(this.queues.get(route) ?? []), ...faults]);
  }

  take(route: string): Fault | undefined {
    const fault = this.queues.get(route)?.shift();
    return fault === 'serve' ? undefined : fault;
  }

  clear(): void {
    this.queues.clear();
  }
}

/** Responds to a request with `fault`. A stalled response stays open until the server closes. */
export function answerFault(fault: Fault, request: IncomingMessage, response: ServerResponse): void {
  if (fault === 'reset') {
    request.socket.destroy();
    return;
  }
  if (fault === 'stall') return;
  response.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
  response.end(fault.body === undefined ? '' : JSON.stringify(fault.body));
}

/** Sends `body` as JSON with `status`. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Reads a request body as UTF-8 text. */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Reads and records a request; an empty body is recorded as `{}`. */
export async function recordRequest(request: IncomingMessage): Promise<RecordedRequest> {
  const receivedAt = Date.now();
  const text = await readBody(request);
  const body = (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
  return { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body, receivedAt };
}

/** Starts an HTTP server on 127.0.0.1 on a port the kernel picks. */
export async function listenOnLoopback(handler: (request: IncomingMessage, response: ServerResponse) => Promise<void>): Promise<Server> {
  const server = createServer((request, response) => void handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** The base URL of a server that `listenOnLoopback` started. */
export function loopbackUrl(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes a server, dropping open connections, stalled ones included. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** A logger whose JSON lines a test can read back. */
export interface CapturedLog {
  readonly logger: Logger;
  /** Every line logged so far, parsed. */
  lines(): Array<Record<string, unknown>>;
  /** Every line logged so far, as written. */
  text(): string;
}

/** Creates a logger at `level` that keeps its lines in memory instead of writing them to stdout. */
export function captureLog(level = 'info'): CapturedLog {
  const written: string[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void written.push(line) } });
  return {
    logger,
    lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => written.join(''),
  };
}
