export { AutoscalingHints, type AutoscalingHintsOptions, type SubgraphHint } from './autoscalingHints.js';
export {
  autoscalingOptionsSchema,
  parseAutoscalingOptions,
  subgraphCapacitySchema,
  type AutoscalingOptionsInput,
  type AutoscalingSettings,
  type SubgraphCapacity,
} from './options.js';
