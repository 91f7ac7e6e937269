import type { Logger } from '../../../core/logger.js';
import type { InputTensor, Predictor } from '../serving/predictor.js';
import { malformedResponse, postJson } from './http.js';

interface V2Output {
  name?: unknown;
  shape?: unknown;
  datatype?: unknown;
  data?: unknown;
}

/**
 * Runs models on a KServe v2 / Triton server over the Open Inference Protocol's HTTP/REST form:
 * `POST {url}/v2/models/{name}/infer` with `{ inputs: [{ name, shape, datatype: "FP32", data }] }`,
 * where `data` is the row-major tensor flattened, and the same shape of `outputs` in the response.
 */
export class KServePredictor implements Predictor {
  readonly runtime: string;
  runs = 0;

  constructor(private readonly options: { url: string; timeoutMs: number; logger: Logger }) {
    this.runtime = `KServe v2 at ${options.url}`;
  }

  async predict(model: { name: string; inputName: string; outputName: string }, input: InputTensor): Promise<Float32Array> {
    const url = `${this.options.url.replace(/\/$/, '')}/v2/models/${encodeURIComponent(model.name)}/infer`;
    const request = {
      inputs: [{ name: model.inputName, shape: [input.rows, input.columns], datatype: 'FP32', data: Array.from(input.data) }],
      outputs: [{ name: model.outputName }],
    };
    this.runs += 1;
    const response = (await postJson(url, request, this.options)) as { outputs?: V2Output[] };
    return this.readOutput(url, response, model.outputName, input.rows);
  }

  async close(): Promise<void> {}

  private readOutput(url: string, response: { outputs?: V2Output[] }, name: string, rows: number): Float32Array {
    const output = Array.isArray(response.outputs) ? response.outputs.find((candidate) => candidate.name === name) : undefined;
    if (!output) throw malformedResponse(url, `no output named "${name}"`, this.options.logger);
    if (!Array.isArray(output.data) || output.data.length !== rows || !output.data.every((value) => typeof value === 'number')) {
      throw malformedResponse(url, `output "${name}" must hold ${rows} numbers`, this.options.logger);
    }
    return Float32Array.from(output.data as number[]);
  }
}
