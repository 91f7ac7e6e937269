import { z } from 'zod';
import { budgetConfigSchema } from '../../../gateway/budget/config.js';
import { autoscalingOptionsSchema } from '../../../gateway/hints/options.js';

const positiveInteger = z.number().int().positive();

/** Limits of one subgraph, applied to the fetches a query plan sends it. */
const subgraphCostSchema = z
  .object({
    /** Largest estimated cost of the fetches of one operation to this subgraph; unset means no limit of its own. */
    maxCost: positiveInteger.optional(),
    /** Size of a list this subgraph resolves that no `@listSize` sizes; overrides `cost.listSize`. */
    listSize: z.number().int().min(0).optional(),
  })
  .strict();

/**
 * The `cost` section: demand control of the gateway.
 *
 * `maxCost` defaults to 10,000, a tenth of the default `budget.maximum`, so a full budget pays for
 * ten of the largest operations. On the checked-in supergraph a default page of 50 flights with
 * their origin airports is estimated at 161, a page of 1000 flights with their destinations at about
 * 3000, while `first: 1000` nested three deep (airports, their departures, those flights' origin's
 * departures) is estimated at about 2·10⁹.
 */
export const costSectionSchema = z
  .object({
    /** `enforce` rejects operations over a maximum; `measure` only reports and records their cost. */
    mode: z.enum(['measure', 'enforce']).default('enforce'),
    /** Largest estimated cost of one operation, in cost points. */
    maxCost: positiveInteger.default(10_000),
    /** Size of a list that no `@listSize` and no subgraph setting sizes. */
    listSize: z.number().int().min(0).default(100),
    /** Limits per subgraph, by subgraph name. */
    subgraphs: z.record(z.string(), subgraphCostSchema).default({}),
  })
  .strict();

/**
 * The `limits` section: shape limits checked before cost. The defaults follow Apollo Router's
 * operation limits for aliases (30) and root fields (20); depth, tokens and document size are
 * starting values, well above what the documented example queries use (depth 4, under 100 tokens).
 */
export const limitsSectionSchema = z
  .object({
    /** Deepest field nesting, counting the root fields as depth 1. */
    maxDepth: positiveInteger.default(15),
    /** Most aliased fields in the document. */
    maxAliases: positiveInteger.default(30),
    /** Most root fields the operation selects. */
    maxRootFields: positiveInteger.default(20),
    /** Most lexical tokens in the document. */
    maxTokens: positiveInteger.default(5000),
    /** Largest document, in UTF-8 bytes. */
    maxDocumentBytes: positiveInteger.default(65_536),
  })
  .strict();

/**
 * Capacity per replica of each subgraph, in cost points per second, equal to the thresholds of the
 * KEDA ScaledObjects in ops/k8s. NOTE: estimates from the cost weights, not measured per replica.
 */
const DEFAULT_CAPACITIES = {
  lake: { capacityPerReplica: 200, minReplicas: 1, maxReplicas: 10 },
  warehouse: { capacityPerReplica: 400, minReplicas: 1, maxReplicas: 10 },
  vector: { capacityPerReplica: 300, minReplicas: 1, maxReplicas: 10 },
  inference: { capacityPerReplica: 50, minReplicas: 1, maxReplicas: 8 },
};

/**
 * The `budget` and `autoscaling` sections reuse the schemas of their gateway modules. Those modules
 * import `ConfigError` from the config module, so the schemas are read lazily, at parse time, and
 * either import order loads.
 */
export const budgetSectionSchema = z.lazy(() => budgetConfigSchema).prefault({});
export const autoscalingSectionSchema = z.lazy(() => autoscalingOptionsSchema).prefault({ subgraphs: DEFAULT_CAPACITIES });


export type CostSection = z.infer<typeof costSectionSchema>;
export type LimitsSection = z.infer<typeof limitsSectionSchema>;
