import type { ThrottleStatus } from '../budget/index.js';
import type { RequestCost, SubgraphCost } from './requestCost.js';

/** `extensions.cost` of a response. */
export interface CostReport {
  /** Estimated cost of the operation; null when a limit rejected it before it was estimated. */
  readonly estimated: number | null;
  /** Actual cost measured from the response; null when nothing ran or the response could not be read. */
  readonly actual: number | null;
  readonly bySubgraph: Readonly<Record<string, SubgraphCost>>;
  /** The caller's budget after the charge; null without a budget or before the charge. */
  readonly budget: ThrottleStatus | null;
}

/** Creates the report of an operation rejected before its cost was charged or measured. */
export function rejectedReport(estimated: number | null, budget: ThrottleStatus | null = null): CostReport {
  return { estimated, actual: null, bySubgraph: {}, budget };
}

/** Creates the report of an executed operation. */
export function executedReport(cost: RequestCost, actual: number | null): CostReport {
  const bySubgraph: Record<string, SubgraphCost> = {};
  for (const [subgraph, entry] of cost.bySubgraph) bySubgraph[subgraph] = { ...entry };
  return { estimated: cost.estimated, actual, bySubgraph, budget: cost.budget };
}

/** Sums of one kind of cost per subgraph, for metrics. */
export function subgraphTotals(cost: RequestCost, kind: 'estimated' | 'actual'): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const [subgraph, entry] of cost.bySubgraph) {
    const value = entry[kind];
    if (value !== undefined) totals[subgraph] = value;
  }
  return totals;
}
