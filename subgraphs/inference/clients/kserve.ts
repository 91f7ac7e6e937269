import type { Logger } from '../../../core/logger.js';
import type { InputTensor, Predictor } from '../serving/predictor.js';
import { malformedResponse, postJson } from './http.js';
import { findMetadataMismatch, type ModelTensors } from './kserveMetadata.js';

interface V2Output {
  name?: unknown;
  shape?: unknown;
  datatype?: unknown;
  data?: unknown;
}

/** Numeric datatypes of the v2 protocol; `BOOL` and `BYTES` outputs cannot be a model's prediction. */
const NUMERIC_DATATYPES = new Set(['FP16', 'FP32', 'FP64', 'BF16', 'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64']);

/**
 * Runs models on a KServe v2 / Triton server over the Open Inference Protocol's HTTP/REST form:
 * `POST {url}/v2/models/{name}/infer` with `{ inputs: [{ name, shape, datatype: "FP32", data }] }`,
 * where `data` is the row-major tensor flattened, and the same shape of `outputs` in the response.
 * The output must have the shape `[rows, 1]` or `[rows]`: one value per input row.
 */
export class KServePredictor implements Predictor {
  readonly runtime: string;
  runs = 0;

  constructor(private readonly options: { url: string; timeoutMs: number; logger: Logger }) {
    this.runtime = `KServe v2 at ${options.url}`;
  }

  /**
   * Checks each model's tensors against the metadata the server publishes, so that a model
   * repository that disagrees with `features.json` fails at startup rather than on every request.
   *
   * @throws Error naming the model, the server and the mismatch
   */
  async checkModels(models: readonly ModelTensors[]): Promise<void> {
    for (const model of models) {
      const mismatch = await findMetadataMismatch(this.options.url, model, this.options);
      if (mismatch) {
        throw new Error(`Model "${model.name}" on the KServe server at ${this.options.url} does not fit: ${mismatch}. Check inference.predictions.kserve.url and the server's model repository.`);
      }
    }
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
    if (typeof output.datatype !== 'string' || !NUMERIC_DATATYPES.has(output.datatype)) {
      throw malformedResponse(url, `output "${name}" has datatype ${JSON.stringify(output.datatype)}, expected a numeric one such as FP32`, this.options.logger);
    }
    if (!isOneValuePerRow(output.shape, rows)) {
      throw malformedResponse(url, `output "${name}" has shape ${JSON.stringify(output.shape)}, expected ${JSON.stringify([rows, 1])}`, this.options.logger);
    }

    // The v2 protocol allows `data` nested like the shape as well as flattened in row-major order.
    const data = Array.isArray(output.data) ? (output.data as unknown[]).flat(2) : undefined;
    if (!data || data.length !== rows || !data.every((value) => typeof value === 'number')) {
      throw malformedResponse(url, `output "${name}" must hold ${rows} numbers`, this.options.logger);
    }
    return Float32Array.from(data as number[]);
  }
}

function isOneValuePerRow(shape: unknown, rows: number): boolean {
  if (!Array.isArray(shape) || shape[0] !== rows) return false;
  return shape.length === 1 || (shape.length === 2 && shape[1] === 1);
}
