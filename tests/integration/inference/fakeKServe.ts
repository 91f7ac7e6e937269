import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

  private constructor(private readonly server: Server, models: FakeLinearModel[]) {
    this.models = models;
  }

  static async start(models: FakeLinearModel[]): Promise<FakeKServe> {
    const server = createServer();
    const fake = new FakeKServe(server, models);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => void fake.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const response of this.stalled) response.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = /^\/v2\/models\/([^/]+)(\/infer)?$/.exec(request.url ?? '');
    if (request.method === 'GET' && request.url === '/v2/health/ready') return send(response, 200, {});
    if (!match) return send(response, 404, { error: `no route ${request.url}` });

    const model = this.models.find((candidate) => candidate.name === decodeURIComponent(match[1]));
    if (!model) return send(response, 404, { error: `Request for unknown model: '${match[1]}' is not found` });
    if (request.method === 'GET' && !match[2]) return send(response, 200, metadata(model));
    if (request.method !== 'POST' || !match[2]) return send(response, 405, { error: 'method not allowed' });

    const body = JSON.parse(await readBody(request)) as InferRequestBody;
    this.inferRequests.push(body);
    this.answerInfer(model, body, response);
  }

  private answerInfer(model: FakeLinearModel, body: InferRequestBody, response: ServerResponse): void {
    if (this.mode === 'stall') {
      this.stalled.push(response);
      return;
    }
    if (this.mode === 'reject') return send(response, 400, { error: 'unexpected shape for input, model expects [-1,50]' });

    const input = body.inputs.find((candidate) => candidate.name === model.inputName);
    if (!input || input.datatype !== 'FP32') return send(response, 400, { error: `expected FP32 input '${model.inputName}'` });
    const [rows, columns] = input.shape;
    if (columns !== model.weights.length || input.data.length !== rows * columns) return send(response, 400, { error: 'input shape does not match data' });

    const predictions = evaluateLinear(model, input.data, rows);
    const output = this.mode === 'wrongShape'
      ? { name: model.outputName, shape: [rows, 2], datatype: 'FP32', data: predictions.flatMap((value) => [value, value]) }
      : { name: model.outputName, shape: [rows, 1], datatype: 'FP32', data: predictions };
    send(response, 200, { model_name: model.name, model_version: '1', outputs: [output] });
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

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
