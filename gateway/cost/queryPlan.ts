import type { FetchNode, PlanNode, QueryPlan, SubscriptionNode } from '@apollo/query-planner';
import { parse } from 'graphql';

import { errors } from '../../core/errors/index.js';
import { estimateCost } from './estimate.js';
import { resolveCostOptions, type CostOptions, type CostOptionsInput } from './options.js';
import type { CostSchema } from './schema.js';

/** The estimated cost of a query plan, in total and per subgraph. */
export interface QueryPlanCost {
  readonly estimated: number;
  /** Estimated cost of the fetches to each subgraph, by subgraph name. */
  readonly bySubgraph: Readonly<Record<string, number>>;
}

interface PlanWalk {
  readonly schemas: ReadonlyMap<string, CostSchema>;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly options: CostOptions;
}

/** Cost of a part of a plan, with the estimated number of values at each response path it fills. */
interface PartCost {
  readonly bySubgraph: Map<string, number>;
  readonly counts: Map<string, number>;
}

const ENTITIES_ITEMS = '_entities.@';

/**
 * Estimates each fetch of an Apollo Gateway query plan against the schema of its subgraph and adds
 * the estimates up per subgraph, as Apollo Router's demand control scores a plan: sequences,
 * parallel nodes and deferred parts add up, and a condition (`@skip`/`@include` on a variable)
 * counts its more expensive branch.
 *
 * An entity fetch selects `_entities(representations:)`, a list with one item per
 * representation. Its size is the number of values an earlier fetch is estimated to put at the
 * fetch's path (for example `products.@`, from `products(first: 5)`), else the subgraph's
 * configured list size, else the default list size.
 *
 * @throws GraphQLError `COST_QUERY_PARSE_FAILURE` for a fetch to a subgraph without a schema, or
 * any error of {@link estimateCost}.
 */
export function estimateQueryPlan(
  plan: QueryPlan,
  subgraphSchemas: ReadonlyMap<string, CostSchema>,
  variables: Readonly<Record<string, unknown>> = {},
  options: CostOptions | CostOptionsInput = {},
): QueryPlanCost {
  const walk: PlanWalk = { schemas: subgraphSchemas, variables, options: resolveCostOptions(options) };
  const part = plan.node ? nodeCost(walk, plan.node, new Map(), '') : emptyPart(new Map());
  const bySubgraph = Object.fromEntries(part.bySubgraph);
  return { estimated: total(part), bySubgraph };
}

function nodeCost(walk: PlanWalk, node: PlanNode | SubscriptionNode, counts: Map<string, number>, path: string): PartCost {
  switch (node.kind) {
    case 'Fetch':
      return fetchCost(walk, node, counts, path);
    case 'Flatten':
      return nodeCost(walk, node.node, counts, flattenPath(node.path));
    case 'Sequence':
    case 'Parallel':
      return sumParts(walk, node.nodes, counts, path);
    case 'Defer':
      return sumParts(walk, [node.primary.node, ...node.deferred.map((deferred) => deferred.node)], counts, path);
    case 'Subscription':
      return sumParts(walk, [node.primary, node.rest], counts, path);
    case 'Condition':
      return largerBranch(walk, node.ifClause, node.elseClause, counts, path);
  }
}

function fetchCost(walk: PlanWalk, fetch: FetchNode, counts: Map<string, number>, path: string): PartCost {
  const costSchema = walk.schemas.get(fetch.serviceName);
  if (!costSchema) {
    throw errors.COST_QUERY_PARSE_FAILURE.error(`The query plan fetches from subgraph "${fetch.serviceName}", which has no schema for cost estimation.`);
  }

  const configured = walk.options.subgraphListSizes[fetch.serviceName] ?? walk.options.listSize;
  const entityCount = counts.get(path) ?? configured;
  // The gateway sends `$representations` itself; an empty list keeps variable coercion strict
  // for every variable the caller sent, and a scalar list costs 0 either way.
  const estimate = estimateCost(costSchema, fetch.operationDocumentNode ?? parse(fetch.operation), {
    variables: { ...walk.variables, representations: [] },
    operationName: fetch.operationName,
    options: walk.options,
    rootListSizes: new Map([['_entities', entityCount]]),
  });

  for (const [key, count] of estimate.instanceCounts) {
    const target = key.startsWith(ENTITIES_ITEMS) ? path + key.slice(ENTITIES_ITEMS.length) : joinKey(path, key);
    counts.set(target, (counts.get(target) ?? 0) + count);
  }
  return { bySubgraph: new Map([[fetch.serviceName, estimate.estimated]]), counts };
}

function sumParts(walk: PlanWalk, nodes: readonly (PlanNode | undefined)[], counts: Map<string, number>, path: string): PartCost {
  const sum = emptyPart(counts);
  for (const node of nodes) {
    if (!node) continue;
    const part = nodeCost(walk, node, counts, path);
    for (const [subgraph, cost] of part.bySubgraph) sum.bySubgraph.set(subgraph, (sum.bySubgraph.get(subgraph) ?? 0) + cost);
  }
  return sum;
}

function largerBranch(
  walk: PlanWalk,
  ifClause: PlanNode | undefined,
  elseClause: PlanNode | undefined,
  counts: Map<string, number>,
  path: string,
): PartCost {
  const whenTrue = ifClause ? nodeCost(walk, ifClause, new Map(counts), path) : emptyPart(new Map(counts));
  const whenFalse = elseClause ? nodeCost(walk, elseClause, new Map(counts), path) : emptyPart(new Map(counts));
  const chosen = total(whenTrue) >= total(whenFalse) ? whenTrue : whenFalse;
  for (const [key, count] of chosen.counts) counts.set(key, count);
  return { bySubgraph: chosen.bySubgraph, counts };
}

/** Writes a Flatten path as an instance-count key: type conditions (`... on T`) are dropped. */
function flattenPath(path: readonly (string | number)[]): string {
  return path
    .filter((element): element is string => typeof element === 'string' && !element.startsWith('...'))
    .join('.');
}

function joinKey(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function emptyPart(counts: Map<string, number>): PartCost {
  return { bySubgraph: new Map(), counts };
}

function total(part: PartCost): number {
  let sum = 0;
  for (const cost of part.bySubgraph.values()) sum += cost;
  return sum;
}
