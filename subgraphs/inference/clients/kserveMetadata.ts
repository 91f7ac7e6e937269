import { getJson, type RequestOptions } from './http.js';
import { modelUrl, type ModelRef } from './kserveRoutes.js';

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
 * (or `…/versions/{version}`) against the tensors the subgraph uses: an FP32 input of
 * `inputWidth` columns and an output, under the names of the model's `features.json`. It runs at
 * startup, after the model reported ready, so a model repository that disagrees with the subgraph
 * fails there rather than on every request.
 *
 * @throws Error naming the model, the server and the mismatch
 * @throws the coded errors of `getJson` when the metadata cannot be read
 */
export async function checkModelMetadata(baseUrl: string, model: ModelTensors & ModelRef, options: RequestOptions): Promise<void> {
  const metadata = (await getJson(modelUrl(baseUrl, model), options)) as { inputs?: unknown; outputs?: unknown } | null;
  const mismatch = findMismatch(metadata ?? {}, model);
  if (mismatch) {
    throw new Error(`Model "${model.name}" on the KServe server at ${baseUrl} does not fit: ${mismatch}. Check inference.predictions.kserve.url and the server's model repository.`);
  }
}

function findMismatch(metadata: { inputs?: unknown; outputs?: unknown }, model: ModelTensors): string | undefined {
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
