import type { LinearModel } from '../flightDelay/ridge.js';
import { ModelProto, ONNX_FLOAT } from './onnxSchema.js';

/** Names and sizes of the exported graph; the server and `config.pbtxt` read the same values. */
export interface LinearGraphSpec {
  readonly inputName: string;
  readonly outputName: string;
  readonly width: number;
}

/**
 * IR version 8 with opset 13: both are read by every onnxruntime release since 1.10 and by
 * Triton's ONNX Runtime backend, and MatMul and Add have had their current form since opset 13.
 */
const IR_VERSION = 8;
const OPSET_VERSION = 13;

/**
 * Serialises a linear model as an ONNX `ModelProto`: `input [N, width]` → MatMul(W `[width, 1]`)
 * → Add(b `[1]`) → `output [N, 1]`, with W and b stored as float initializers.
 */
export function exportLinearModel(model: LinearModel, spec: LinearGraphSpec, description: string): Buffer {
  const message = ModelProto.fromObject({
    irVersion: IR_VERSION,
    producerName: 'meshgate',
    producerVersion: '1',
    modelVersion: 1,
    docString: description,
    opsetImport: [{ domain: '', version: OPSET_VERSION }],
    graph: {
      name: 'linear_regression',
      node: [
        { input: [spec.inputName, 'weights'], output: ['product'], name: 'matmul', opType: 'MatMul' },
        { input: ['product', 'bias'], output: [spec.outputName], name: 'add_bias', opType: 'Add' },
      ],
      initializer: [
        { name: 'weights', dims: [spec.width, 1], dataType: ONNX_FLOAT, floatData: Array.from(model.weights) },
        { name: 'bias', dims: [1], dataType: ONNX_FLOAT, floatData: [model.bias] },
      ],
      input: [tensorValue(spec.inputName, spec.width)],
      output: [tensorValue(spec.outputName, 1)],
    },
  });
  return Buffer.from(ModelProto.encode(message).finish());
}

/** Describes a float tensor `[N, columns]` whose first dimension is the symbolic batch size `N`. */
function tensorValue(name: string, columns: number) {
  return {
    name,
    type: { tensorType: { elemType: ONNX_FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: columns }] } } },
  };
}

/** Reads back the float initializers of a model written by `exportLinearModel`, by name. */
export function readInitializers(bytes: Uint8Array): Map<string, Float32Array> {
  const decoded = ModelProto.toObject(ModelProto.decode(bytes), { defaults: false }) as {
    graph?: { initializer?: { name: string; floatData: number[] }[] };
  };
  const result = new Map<string, Float32Array>();
  for (const tensor of decoded.graph?.initializer ?? []) result.set(tensor.name, Float32Array.from(tensor.floatData));
  return result;
}
