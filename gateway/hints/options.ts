import { z } from 'zod';
import { ConfigError, describeConfigIssue } from '../../core/config/index.js';

/** Load one replica of a subgraph sustains, and the replica range its Deployment may use. */
export const subgraphCapacitySchema = z
  .object({
    /** Cost points per second one replica serves within its latency objective. */
    capacityPerReplica: z.number().positive().finite(),
    minReplicas: z.number().int().min(0),
    maxReplicas: z.number().int().min(1),
  })
  .strict()
  .refine((value) => value.minReplicas <= value.maxReplicas, {
    message: 'minReplicas must not exceed maxReplicas',
    path: ['minReplicas'],
  });

/** Options of `AutoscalingHints`; the gateway config's `autoscaling` section has this shape. */
export const autoscalingOptionsSchema = z
  .object({
    /** Capacity of each subgraph by name. */
    subgraphs: z.record(z.string(), subgraphCapacitySchema),
    /** Capacity of a subgraph missing from `subgraphs`; without it, such a subgraph's cost is ignored. */
    defaults: subgraphCapacitySchema.optional(),
    /** Length of the window the cost rate is averaged over. */
    windowSeconds: z.number().int().positive().default(60),
    /** Granularity of that window. */
    bucketSeconds: z.number().int().positive().default(1),
    /** Scale-down stabilisation window; 300 s is the Kubernetes HPA's default for scaling down. */
    stabilizationWindowSeconds: z.number().int().min(0).default(300),
  })
  .strict()
  .refine((value) => value.windowSeconds % value.bucketSeconds === 0, {
    message: 'windowSeconds must be a multiple of bucketSeconds',
    path: ['windowSeconds'],
  });

export type SubgraphCapacity = z.infer<typeof subgraphCapacitySchema>;
export type AutoscalingOptionsInput = z.input<typeof autoscalingOptionsSchema>;
export type AutoscalingSettings = z.infer<typeof autoscalingOptionsSchema>;

/**
 * Validates autoscaling options and fills their defaults.
 *
 * @throws ConfigError naming each invalid option by its path under `autoscaling`.
 */
export function parseAutoscalingOptions(raw: AutoscalingOptionsInput): AutoscalingSettings {
  const result = autoscalingOptionsSchema.safeParse(raw);
  if (result.success) return result.data;

  throw new ConfigError(result.error.issues.map((issue) => describeConfigIssue(issue, raw, ['autoscaling'])));
}
