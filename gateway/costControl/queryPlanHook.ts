import type { Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';
import type { QueryPlan } from '@apollo/query-planner';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

import { errors } from '../../core/errors/index.js';
import { stableStringify } from '../cost/cache.js';
import { assertSubgraphEstimateWithinMaximum, estimateQueryPlan, type QueryPlanCost } from '../cost/index.js';
import { requestCostOf, type RequestCost } from './requestCost.js';

/**
 * Prices each fetch of the query plan Apollo Gateway resolved for a request, per subgraph, and in
 * `enforce` mode marks every subgraph whose fetches are estimated above its own `maxCost`: the
 * guarded data source of that subgraph then returns `SUBGRAPH_COST_ESTIMATED_TOO_EXPENSIVE`
 * instead of sending them, and the fields it resolves are null. Does nothing for a request the
 * cost plugin did not see. Pass it as `experimental_didResolveQueryPlan` of `new ApolloGateway`.
 *
 * A plan that cannot be priced rejects every fetch in `enforce` mode (fail closed), with the error
 * of the estimate.
 */
export const didResolveQueryPlan: Experimental_DidResolveQueryPlanCallback = ({ queryPlan, requestContext }) => {
  const cost = requestCostOf(requestContext.context);
  if (!cost) return;

  let price: QueryPlanCost;
  try {
    price = priceQueryPlan(cost, queryPlan);
  } catch (error) {
    rejectEverySubgraph(cost, error);
    return;
  }
  for (const [subgraph, estimated] of Object.entries(price.bySubgraph)) {
    cost.bySubgraph.set(subgraph, { estimated });
    const rejection = subgraphRejection(cost, subgraph, estimated);
    if (rejection) cost.rejections.set(subgraph, rejection);
  }
};

function priceQueryPlan(cost: RequestCost, queryPlan: QueryPlan): QueryPlanCost {
  const { runtime } = cost;
  let prices = runtime.planPrices.get(queryPlan);
  if (!prices) {
    prices = new Map();
    runtime.planPrices.set(queryPlan, prices);
  }
  const key = stableStringify(cost.variables);
  let price = prices.get(key);
  if (!price) {
    price = estimateQueryPlan(queryPlan, runtime.subgraphSchemas, cost.variables, runtime.costOptions);
    prices.set(key, price);
  }
  return price;
}

function subgraphRejection(cost: RequestCost, subgraph: string, estimated: number): GraphQLFormattedError | undefined {
  const maximum = cost.runtime.subgraphMaxima.get(subgraph);
  if (maximum === undefined || estimated <= maximum) return undefined;

  cost.runtime.logger.info({ subgraph, estimated, maximum, mode: cost.runtime.mode }, 'subgraph fetches estimated above their maximum');
  if (cost.runtime.mode !== 'enforce') return undefined;
  try {
    assertSubgraphEstimateWithinMaximum(subgraph, estimated, maximum);
    return undefined;
  } catch (error) {
    return partialError(error);
  }
}

function rejectEverySubgraph(cost: RequestCost, error: unknown): void {
  cost.runtime.logger.error({ err: error }, 'query plan could not be priced');
  if (cost.runtime.mode !== 'enforce') return;
  const rejection = partialError(error instanceof GraphQLError ? error : errors.COST_QUERY_PARSE_FAILURE.error('The query plan of the operation could not be priced.'));
  for (const subgraph of cost.runtime.subgraphSchemas.keys()) cost.rejections.set(subgraph, rejection);
}

/**
 * Formats an error for a subgraph response. The HTTP status of the code is dropped because the
 * other subgraphs' data is still returned, so the request as a whole is not rejected.
 */
function partialError(error: unknown): GraphQLFormattedError {
  const formatted = (error as GraphQLError).toJSON();
  const { http: _http, ...extensions } = formatted.extensions ?? {};
  return { message: formatted.message, extensions };
}
