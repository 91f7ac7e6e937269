import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { answerFault, closeServer, FaultQueue, listenOnLoopback, loopbackUrl, recordRequest, sendJson, type RecordedRequest } from './fakeHttp.js';

/** A linear model `y = x · weights + bias` that the fake serves under `name`. */
export interface FakeLinearModel {
  readonly name: string;
  readonly inputName: string;
  readonly outputName: string;
  readonly weights: readonly number[];
  readonly bias: number;
}

/** How the fake responds to infer requests that no queued fault takes: with predictions, HTTP 400, or an output of the wrong shape. */
export type FakeKServeMode = 'serve' | 'reject' | 'wrongShape';

/** The routes of the fake, as `faults.add` and `requestsTo` name them. */
export type KServeRoute = 'serverReady' | 'modelReady' | 'metadata' | 'infer';

export interface InferRequestBody {
  inputs: Array<{ name: string; shape: number[]; datatype: string; data: number[] }>;
  outputs?: Array<{ name: string }>;
}

/** The versions every fake model has; a request for another one gets HTTP 404. */
export const FAKE_MODEL_VERSIONS = ['1', '3'];

const MODEL_ROUTE = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/;

/**
 * A KServe v2 / Triton server speaking the Open Inference Protocol's HTTP/REST form on 127.0.0.1:
 * `GET /v2/health/ready`, `GET /v2/models/{name}[/versions/{v}]/ready`, `GET /v2/models/{name}[/versions/{v}]`
 * and `POST /v2/models/{name}[/versions/{v}]/infer` with FP32 tensors flattened in row-major order.
 * Errors are `{ "error": "…" }` and a readiness route that is not ready returns HTTP 400 with an
 * empty body, as Triton does.
 */
export class FakeKServe {
  readonly requests: RecordedRequest[] = [];
  readonly faults = new FaultQueue();
  mode: FakeKServeMode = 'serve';
  models: FakeLinearModel[];
  /** Readiness checks that still get "not ready", per readiness route. `Infinity` keeps a route not ready. */
  notReadyChecks = { server: 0, model: 0 };

  private server: Server | undefined;

  private constructor(models: FakeLinearModel[]) {
    this.models = models;
  }

  static async start(models: FakeLinearModel[]): Promise<FakeKServe> {
    const fake = new FakeKServe(models);
    fake.server = await listenOnLoopback((request, response) => fake.handle(request, response));
    return fake;
  }

  get url(): string {
    return loopbackUrl(this.server as Server);
  }

  /** Bodies of the infer requests received so far. */
  get inferRequests(): InferRequestBody[] {
    return this.requestsTo('infer').map((request) => request.body as unknown as InferRequestBody);
  }

  /** Requests received so far on one route. */
  requestsTo(route: KServeRoute): RecordedRequest[] {
    return this.requests.filter((request) => routeOf(request) === route);
  }

  /** Lists the route of every request received so far, in order of arrival. */
  routeLog(): Array<KServeRoute | undefined> {
    return this.requests.map(routeOf);
  }

  /** Forgets the requests, queued faults and readiness countdowns of earlier tests. */
  reset(): void {
    this.requests.length = 0;
    this.faults.clear();
    this.mode = 'serve';
    this.notReadyChecks = { server: 0, model: 0 };
  }

  async stop(): Promise<void> {
    await closeServer(this.server as Server);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const recorded = await recordRequest(request);
    this.requests.push(recorded);
    const route = routeOf(recorded);
    if (!route) return sendJson(response, 404, { error: `no route ${recorded.path}` });

    const fault = this.faults.take(route);
    if (fault) return answerFault(fault, request, response);
    if (route === 'serverReady') return this.answerReadiness('server', response);

    const [, name, version] = MODEL_ROUTE.exec(recorded.path) as RegExpExecArray;
    const model = this.models.find((candidate) => candidate.name === decodeURIComponent(name));
    if (!model || (version !== undefined && !FAKE_MODEL_VERSIONS.includes(decodeURIComponent(version)))) {
      return sendJson(response, 404, { error: `Request for unknown model: '${name}' is not found` });
    }
    if (route === 'modelReady') return this.answerReadiness('model', response);
    if (route === 'metadata') return sendJson(response, 200, metadata(model));
    this.answerInfer(model, recorded.body as unknown as InferRequestBody, response);
  }

  private answerReadiness(kind: 'server' | 'model', response: ServerResponse): void {
    const notReady = this.notReadyChecks[kind] > 0;
    this.notReadyChecks[kind] -= 1;
    response.writeHead(notReady ? 400 : 200);
    response.end();
  }

  private answerInfer(model: FakeLinearModel, body: InferRequestBody, response: ServerResponse): void {
    if (this.mode === 'reject') return sendJson(response, 400, { error: 'unexpected shape for input, model expects [-1,50]' });

    const input = body.inputs.find((candidate) => candidate.name === model.inputName);
    if (!input || input.datatype !== 'FP32') return sendJson(response, 400, { error: `expected FP32 input '${model.inputName}'` });
    const [rows, columns] = input.shape;
    if (columns !== model.weights.length || input.data.length !== rows * columns) return sendJson(response, 400, { error: 'input shape does not match data' });

    const predictions = evaluateLinear(model, input.data, rows);
    const output = this.mode === 'wrongShape'
      ? { name: model.outputName, shape: [rows, 2], datatype: 'FP32', data: predictions.flatMap((value) => [value, value]) }
      : { name: model.outputName, shape: [rows, 1], datatype: 'FP32', data: predictions };
    sendJson(response, 200, { model_name: model.name, model_version: '1', outputs: [output] });
  }
}

function routeOf(request: RecordedRequest): KServeRoute | undefined {
  if (request.method === 'GET' && request.path === '/v2/health/ready') return 'serverReady';
  const match = MODEL_ROUTE.exec(request.path);
  if (!match) return undefined;
  if (request.method === 'GET' && match[3] === undefined) return 'metadata';
  if (request.method === 'GET' && match[3] === '/ready') return 'modelReady';
  if (request.method === 'POST' && match[3] === '/infer') return 'infer';
  return undefined;
}

function evaluateLinear(model: FakeLinearModel, data: readonly number[], rows: number): number[] {
  const width = model.weights.length;
  return Array.from({ length: rows }, (_, row) => model.weights.reduce((sum, weight, j) => sum + weight * data[row * width + j], model.bias));
}

function metadata(model: FakeLinearModel) {
  return {
    name: model.name,
    versions: FAKE_MODEL_VERSIONS,
    platform: 'onnxruntime_onnx',
    inputs: [{ name: model.inputName, datatype: 'FP32', shape: [-1, model.weights.length] }],
    outputs: [{ name: model.outputName, datatype: 'FP32', shape: [-1, 1] }],
  };
}
