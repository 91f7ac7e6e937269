import type { InputTensor, Predictor } from '../serving/predictor.js';
import { ReadinessMonitor } from '../serving/readinessMonitor.js';
import { postJson, type RequestOptions } from './http.js';
import { checkModelMetadata, type ModelTensors } from './kserveMetadata.js';
import { checkReadiness, waitUntilReady, type ReadinessWait } from './kserveReadiness.js';
import { modelUrl, type ModelRef } from './kserveRoutes.js';
import { malformedResponse } from './serverErrors.js';

/** The `inference.predictions.kserve` config with the logger of the subgraph. */
export interface KServeOptions extends RequestOptions, ReadinessWait {
  /** Base URL of the server, for example `http://triton:8000`. */
  readonly url: string;
  /** Model version every request names. Without it the server picks one. */
  readonly version?: string;
}

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
 * `POST {url}/v2/models/{name}[/versions/{version}]/infer` with
 * `{ inputs: [{ name, shape, datatype: "FP32", data }] }`, where `data` is the row-major tensor
 * flattened, and the same shape of `outputs` in the response. The output must have the shape
 * `[rows, 1]` or `[rows]`: one value per input row. Infer requests are retried like GETs, because
 * an infer is a pure function of its input.
 */
export class KServePredictor implements Predictor {
  readonly runtime: string;
  runs = 0;

  private constructor(
    private readonly options: KServeOptions,
    private readonly monitor: ReadinessMonitor,
  ) {
    this.runtime = `KServe v2 at ${options.url}`;
  }

  /**
   * Connects to the server: waits up to `readyTimeoutMs` for the server and every model to report
   * ready, checks each model's tensors against its metadata, then checks readiness every
   * `readyPollMs` for `ready`.
   *
   * @throws Error when the server is not ready in time, or a model's tensors do not fit
   */
  static async connect(options: KServeOptions, models: readonly ModelTensors[]): Promise<KServePredictor> {
    const refs: ModelRef[] = models.map((model) => ({ name: model.name, version: options.version }));
    await waitUntilReady(options.url, refs, options);
    for (const model of models) await checkModelMetadata(options.url, { ...model, version: options.version }, options);

    const check = () => checkReadiness(options.url, refs, options);
    const monitor = new ReadinessMonitor(check, { ready: true, reason: '' }, { intervalMs: options.readyPollMs, logger: options.logger });
    monitor.start();
    return new KServePredictor(options, monitor);
  }

  /** Whether the server and every model reported ready at the last check. */
  get ready(): boolean {
    return this.monitor.ready;
  }

  async predict(model: { name: string; inputName: string; outputName: string }, input: InputTensor): Promise<Float32Array> {
    const url = `${modelUrl(this.options.url, { name: model.name, version: this.options.version })}/infer`;
    const request = {
      inputs: [{ name: model.inputName, shape: [input.rows, input.columns], datatype: 'FP32', data: Array.from(input.data) }],
      outputs: [{ name: model.outputName }],
    };
    this.runs += 1;
    const response = (await postJson(url, request, { ...this.options, idempotent: true })) as { outputs?: V2Output[] } | null;
    return this.readOutput(url, response ?? {}, model.outputName, input.rows);
  }

  async close(): Promise<void> {
    this.monitor.stop();
  }

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
