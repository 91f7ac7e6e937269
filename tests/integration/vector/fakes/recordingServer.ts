import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback, loopbackUrl, readBody } from '../../inference/fakeHttp.js';

/** The HTTP status and JSON body of a fake's response. A response to a HEAD request has no body. */
export interface FakeReply {
  readonly status: number;
  readonly body?: unknown;
}

/** The parts of an HTTP request that every fake records, whatever its body format. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path without the query string, such as `/speeches/_search`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authorization: string | undefined;
}

/**
 * An HTTP server on 127.0.0.1 that records every request and responds with `route`, unless a test
 * made the request's route hang or set a fixed reply for it. Routes are written `METHOD /path`.
 * A subclass parses the request body in `withBody` and implements the search cluster's API in `route`.
 */
export abstract class RecordingServer<Recorded extends ReceivedRequest> {
  readonly requests: Recorded[] = [];
  /** Routes that never respond, to test timeouts. */
  readonly hangingRoutes = new Set<string>();
  /** Fixed replies by route, to test server errors. */
  readonly routeReplies = new Map<string, FakeReply>();
  private server: Server | undefined;

  /** @param responseHeaders headers of every response, such as its `content-type`. */
  protected constructor(private readonly responseHeaders: Readonly<Record<string, string>>) {}

  /** Starts listening on a port the kernel picks and returns the base URL. */
  async start(): Promise<string> {
    this.server = await listenOnLoopback((request, response) => this.handle(request, response));
    return loopbackUrl(this.server);
  }

  /** Stops the server, dropping open connections, those of hanging routes included. */
  async stop(): Promise<void> {
    if (this.server !== undefined) {
      await closeServer(this.server);
    }
  }

  /** Forgets every recorded request, hanging route and fixed reply. */
  reset(): void {
    this.requests.length = 0;
    this.hangingRoutes.clear();
    this.routeReplies.clear();
  }

  /** Returns the requests of one route. */
  requestsTo(route: string): Recorded[] {
    return this.requests.filter((request) => `${request.method} ${request.path}` === route);
  }

  /** Parses the request body into the request's record. `contentType` is the request's header, or empty when absent. */
  protected abstract withBody(received: ReceivedRequest, text: string, contentType: string): Recorded;

  /** Handles a recorded request as the search cluster's API does and returns the reply. */
  protected abstract route(request: Recorded): FakeReply;

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://fake.local');
    const received = { method: request.method ?? '', path: url.pathname, query: url.searchParams, authorization: request.headers.authorization };
    const recorded = this.withBody(received, text, request.headers['content-type'] ?? '');
    this.requests.push(recorded);

    const route = `${recorded.method} ${recorded.path}`;
    if (this.hangingRoutes.has(route)) {
      return;
    }
    const reply = this.routeReplies.get(route) ?? this.route(recorded);
    response.writeHead(reply.status, this.responseHeaders);
    response.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
  }
}
