import type { Logger } from '../../../core/logger.js';
import { getJson } from './http.js';

/** A tensor of the v2 model metadata response; `-1` in `shape` is a variable dimension. */
interface TensorMetadata {
  readonly name?: unknown;
  readonly datatype?: unknown;
  readonly shape?: unknown;
}

/** The tensors the subgraph sends to and reads from a model. */
export interface ModelTensors {
  readonly name: string;
  readonly inputName: string;
  readonly outputName: string;
  readonly inputWidth: number;
}

/**
 * Checks the metadata a KServe v2 / Triton server publishes at `GET {url}/v2/models/{name}`
 * against the tensors the subgraph uses: an FP32 input of `inputWidth` columns and an output,
 * under the names of the model's `features.json`.
 *
 * @returns a description of the first mismatch, or undefined when the model fits or when its
 *   metadata cannot be read, which is logged: the server may start after the subgraph, and
 *   predictions fail with MODEL_SERVER_FAILED until it is up
 */
export async function findMetadataMismatch(url: string, model: ModelTensors, options: { timeoutMs: number; logger: Logger }): Promise<string | undefined> {
  const metadataUrl = `${url.replace(/\/$/, '')}/v2/models/${encodeURIComponent(model.name)}`;
  let metadata: { inputs?: unknown; outputs?: unknown };
  try {
    metadata = (await getJson(metadataUrl, options)) as typeof metadata;
  } catch {
    options.logger.warn({ url: metadataUrl, model: model.name }, 'model metadata unavailable; tensors not checked');
    return undefined;
  }

  const inputs = tensorList(metadata.inputs);
  const outputs = tensorList(metadata.outputs);
  const input = inputs.find((tensor) => tensor.name === model.inputName);
  if (!input) return `it has no input "${model.inputName}"; its inputs are ${describeNames(inputs)}`;
  if (input.datatype !== 'FP32' || !hasWidth(input.shape, model.inputWidth)) {
    return `input "${model.inputName}" is ${String(input.datatype)} ${JSON.stringify(input.shape)}, but the subgraph sends FP32 [-1,${model.inputWidth}]`;
  }
  if (!outputs.some((tensor) => tensor.name === model.outputName)) return `it has no output "${model.outputName}"; its outputs are ${describeNames(outputs)}`;
  return undefined;
}

function tensorList(value: unknown): TensorMetadata[] {
  return Array.isArray(value) ? (value as TensorMetadata[]) : [];
}

function describeNames(tensors: readonly TensorMetadata[]): string {
  return tensors.length === 0 ? 'none' : tensors.map((tensor) => JSON.stringify(tensor.name)).join(', ');
}

/** Tells whether the last dimension is the width or variable (-1). */
function hasWidth(shape: unknown, width: number): boolean {
  if (!Array.isArray(shape) || shape.length === 0) return false;
  const last: unknown = shape[shape.length - 1];
  return last === width || last === -1;
}
