import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { validateConfig, type ConfigInput } from '../../../core/config/index.js';
import { createFormatError } from '../../../core/http/formatError.js';
import { startService, type RequestContext, type ServiceHandle } from '../../../core/http/service.js';
import { createLogger } from '../../../core/logger.js';
import { createCostControl, costRoutes, didResolveQueryPlan, guardSubgraphCost, useCostControl } from '../../../gateway/costControl/index.js';
import { installScalarParsers } from '../../../gateway/scalars.js';
import { EnvelopedGateway } from '../../../gateway/envelop/host.js';

/** A gateway wired as `createGateway` is with the cost hooks, counting the fetches sent to each subgraph. */
export interface CostTestGateway {
  readonly graphqlUrl: string;
  readonly url: string;
  /** Fetches that reached each subgraph's data source, by subgraph name. */
  readonly fetches: Map<string, number>;
  close(): Promise<void>;
}

/** Starts Apollo Server with Apollo Gateway, the cost hooks and `useCostControl` on 127.0.0.1, port 0. */
export async function startCostTestGateway(subgraphUrls: ReadonlyMap<string, string>, overrides: ConfigInput, clock?: () => number): Promise<CostTestGateway> {
  const logger = createLogger({ level: 'silent' });
  // The tests are written against an operation maximum of 1000 cost points.
  const config = validateConfig({ ...overrides, cost: { maxCost: 1000, ...overrides.cost }, gateway: { port: 0 } });
  const supergraphSdl = readFileSync('schema/supergraph.graphql', 'utf8');
  const control = createCostControl({ config, supergraphSdl, logger, clock, defaultMetrics: false });
  const fetches = new Map<string, number>();

  const gateway = new ApolloGateway({
    supergraphSdl,
    logger,
    experimental_didResolveQueryPlan: didResolveQueryPlan,
    buildService: ({ name }) => guardSubgraphCost(name, counting(name, fetches, new RemoteGraphQLDataSource({ url: subgraphUrls.get(name) }))),
  });
  // As createGateway does: the mesh's scalars validate their input at the gateway.
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => installScalarParsers(apiSchema));
  const plugins = [useCostControl({ runtime: control.runtime, limits: config.limits, estimator: control.estimator })];
  const apollo = new ApolloServer<RequestContext>({
    gateway: new EnvelopedGateway(gateway, plugins),
    logger,
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError(logger),
  });
  const service: ServiceHandle = await startService({ name: 'gateway', host: '127.0.0.1', port: 0, apollo, logger, routes: costRoutes(control.metrics, control.hints) });
  return {
    graphqlUrl: `${service.url}/graphql`,
    url: service.url,
    fetches,
    close: async () => {
      await service.close();
      await control.budgetStore.close();
    },
  };
}

function counting(name: string, fetches: Map<string, number>, inner: GraphQLDataSource<Record<string, unknown>>): GraphQLDataSource<Record<string, unknown>> {
  return {
    process: (options) => {
      if ('incomingRequestContext' in options) fetches.set(name, (fetches.get(name) ?? 0) + 1);
      return inner.process(options);
    },
  };
}
