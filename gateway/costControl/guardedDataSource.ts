import { performance } from 'node:perf_hooks';

import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { parse, type DocumentNode } from 'graphql';

import { measureActualCost } from '../cost/index.js';
import { requestCostOf, type RequestCost } from './requestCost.js';
import { FETCH_DOCUMENT_CACHE_SIZE } from './runtime.js';

type Context = Record<string, unknown>;

/**
 * Wraps the data source of one subgraph for cost control: a fetch to a subgraph that the
 * query-plan hook rejected returns that error without being sent. Every other fetch is sent by
 * `inner` and timed, and its actual cost is measured against the subgraph's schema. Health checks,
 * schema loads and requests the cost plugin did not see pass through untouched.
 *
 * Use it in `buildService` of `new ApolloGateway`: `buildService: (definition) =>
 * guardSubgraphCost(definition.name, new RemoteGraphQLDataSource(…))`.
 */
export function guardSubgraphCost<TContext extends Context>(subgraph: string, inner: GraphQLDataSource<TContext>): GraphQLDataSource<TContext> {
  return {
    process: async (options) => {
      // Only a fetch of an incoming operation carries `incomingRequestContext`; @apollo/gateway 2.14
      // does not export the enum of request kinds to compare with.
      const cost = 'incomingRequestContext' in options ? requestCostOf(options.context) : undefined;
      if (!cost) return inner.process(options);

      const rejection = cost.rejections.get(subgraph);
      if (rejection) return { errors: [rejection] };
      return sendMeasured(cost, subgraph, inner, options);
    },
  };
}

async function sendMeasured<TContext extends Context>(
  cost: RequestCost,
  subgraph: string,
  inner: GraphQLDataSource<TContext>,
  options: GraphQLDataSourceProcessOptions<TContext>,
): Promise<GatewayGraphQLResponse> {
  const { metrics } = cost.runtime;
  const started = performance.now();
  try {
    const response = await inner.process(options);
    for (const error of response.errors ?? []) {
      const code = error.extensions?.code;
      metrics?.recordSubgraphError(subgraph, typeof code === 'string' ? code : undefined);
    }
    addActualCost(cost, subgraph, options, response);
    return response;
  } finally {
    metrics?.observeSubgraphRequest(subgraph, (performance.now() - started) / 1000);
  }
}

function addActualCost<TContext extends Context>(
  cost: RequestCost,
  subgraph: string,
  options: GraphQLDataSourceProcessOptions<TContext>,
  response: GatewayGraphQLResponse,
): void {
  const costSchema = cost.runtime.subgraphSchemas.get(subgraph);
  const query = options.request.query;
  if (!costSchema || query === undefined) return;

  try {
    const actual = measureActualCost(costSchema, fetchDocument(cost, query), response, {
      variables: options.request.variables,
      operationName: options.request.operationName,
    });
    const entry = cost.bySubgraph.get(subgraph) ?? { estimated: 0 };
    entry.actual = (entry.actual ?? 0) + actual;
    cost.bySubgraph.set(subgraph, entry);
  } catch (error) {
    cost.runtime.logger.warn({ err: error, subgraph }, 'actual cost of a subgraph response could not be measured');
  }
}

function fetchDocument(cost: RequestCost, query: string): DocumentNode {
  const documents = cost.runtime.fetchDocuments;
  let document = documents.get(query);
  if (!document) {
    document = parse(query);
    if (documents.size >= FETCH_DOCUMENT_CACHE_SIZE) documents.clear();
    documents.set(query, document);
  }
  return document;
}
