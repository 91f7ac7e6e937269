import { TestEnvironment } from 'jest-environment-node';
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';

/**
 * The node test environment with the host's typed-array constructors. onnxruntime-node creates
 * output tensors from the host realm's Float32Array, and onnxruntime-common rejects them with an
 * `instanceof` check against the sandbox's own Float32Array unless both are the same.
 */
export default class NodeRealmEnvironment extends TestEnvironment {
  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    Object.assign(this.global, { Float32Array, Float64Array, Int32Array, BigInt64Array, Uint8Array, ArrayBuffer });
  }
}
