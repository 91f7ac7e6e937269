import * as ort from 'onnxruntime-node';
import { disableVendorTelemetry } from '../../../core/vendorTelemetry.js';
import type { InputTensor, Predictor } from './predictor.js';

/** Runs ONNX models in-process with onnxruntime-node on the CPU, one session per model. */
export class OnnxPredictor implements Predictor {
  readonly runtime = 'onnxruntime-node CPU';
  /** Always true: the sessions are created before the subgraph starts. */
  readonly ready = true;
  runs = 0;

  private constructor(private readonly sessions: ReadonlyMap<string, ort.InferenceSession>) {}

  /** Creates a session for each `name → model.onnx` file. */
  static async open(files: ReadonlyMap<string, string>): Promise<OnnxPredictor> {
    const sessions = new Map<string, ort.InferenceSession>();
    disableVendorTelemetry();
    for (const [name, file] of files) sessions.set(name, await ort.InferenceSession.create(file, { executionProviders: ['cpu'] }));
    return new OnnxPredictor(sessions);
  }

  async predict(model: { name: string; inputName: string; outputName: string }, input: InputTensor): Promise<Float32Array> {
    const session = this.sessions.get(model.name);
    if (!session) throw new Error(`No onnxruntime session for model ${model.name}.`);
    this.runs += 1;
    const feeds = { [model.inputName]: new ort.Tensor('float32', input.data, [input.rows, input.columns]) };
    const outputs = await session.run(feeds);
    return outputs[model.outputName].data as Float32Array;
  }

  async close(): Promise<void> {
    for (const session of this.sessions.values()) await session.release();
  }
}
