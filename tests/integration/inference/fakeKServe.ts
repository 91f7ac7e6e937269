import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback, loopbackUrl, readBody, sendJson } from './fakeHttp.js';

/** A linear model `y = x · weights + bias` that the fake serves under `name`. */
export interface FakeLinearModel {
  readonly name: string;
  readonly inputName: string;
  readonly outputName: string;
  readonly weights: readonly number[];
  readonly bias: number;
}

/** How the fake responds to infer requests: with predictions, or with one of the failures a real server shows. */
export type FakeKServeMode = 'serve' | 'reject' | 'wrongShape' | 'stall';

export interface InferRequestBody {
  inputs: Array<{ name: string; shape: number[]; datatype: string; data: number[] }>;
  outputs?: Array<{ name: string }>;
}

/**
 * A KServe v2 / Triton server speaking the Open Inference Protocol's HTTP/REST form on 127.0.0.1:
 * `GET /v2/health/ready`, `GET /v2/models/{name}` and `POST /v2/models/{name}/infer` with FP32
 * tensors flattened in row-major order. Errors are `{ "error": "…" }`, as Triton sends them.
 */
export class FakeKServe {
  readonly inferRequests: InferRequestBody[] = [];
  mode: FakeKServeMode = 'serve';
  models: FakeLinearModel[];
  private stalled: ServerResponse[] = [];

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

  async stop(): Promise<void> {
    for (const response of this.stalled) response.destroy();
    await closeServer(this.server as Server);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = /^\/v2\/models\/([^/]+)(\/infer)?$/.exec(request.url ?? '');
    if (request.method === 'GET' && request.url === '/v2/health/ready') return sendJson(response, 200, {});
    if (!match) return sendJson(response, 404, { error: `no route ${request.url}` });

    const model = this.models.find((candidate) => candidate.name === decodeURIComponent(match[1]));
    if (!model) return sendJson(response, 404, { error: `Request for unknown model: '${match[1]}' is not found` });
    if (request.method === 'GET' && !match[2]) return sendJson(response, 200, metadata(model));
    if (request.method !== 'POST' || !match[2]) return sendJson(response, 405, { error: 'method not allowed' });

    const body = JSON.parse(await readBody(request)) as InferRequestBody;
    this.inferRequests.push(body);
    this.answerInfer(model, body, response);
  }

  private answerInfer(model: FakeLinearModel, body: InferRequestBody, response: ServerResponse): void {
    if (this.mode === 'stall') {
      this.stalled.push(response);
      return;
    }
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

function evaluateLinear(model: FakeLinearModel, data: readonly number[], rows: number): number[] {
  const width = model.weights.length;
  return Array.from({ length: rows }, (_, row) => model.weights.reduce((sum, weight, j) => sum + weight * data[row * width + j], model.bias));
}

function metadata(model: FakeLinearModel) {
  return {
    name: model.name,
    versions: ['1'],
    platform: 'onnxruntime_onnx',
    inputs: [{ name: model.inputName, datatype: 'FP32', shape: [-1, model.weights.length] }],
    outputs: [{ name: model.outputName, datatype: 'FP32', shape: [-1, 1] }],
  };
}
