/** A float input matrix, row-major. */
export interface InputTensor {
  readonly data: Float32Array;
  readonly rows: number;
  readonly columns: number;
}

/** Runtime of the models: onnxruntime-node in the subgraph's process, or a remote KServe v2 server. */
export interface Predictor {
  /** Runtime of the models, as the `models` query reports it. */
  readonly runtime: string;
  /** Model runs so far: one per `predict` call, however many rows it carried. */
  readonly runs: number;
  /** Whether the runtime can serve predictions now: for a remote server, the result of its last readiness check. */
  readonly ready: boolean;
  /** Runs `model` once on the whole batch and returns one output value per row. */
  predict(model: { name: string; inputName: string; outputName: string }, input: InputTensor): Promise<Float32Array>;
  close(): Promise<void>;
}
