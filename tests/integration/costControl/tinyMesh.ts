import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';

import { validateConfig, type ConfigInput } from '../../../core/config/index.js';
import { createFormatError } from '../../../core/http/formatError.js';
import { startService, type RequestContext } from '../../../core/http/service.js';
import { createLogger } from '../../../core/logger.js';
import { createCostControl, guardSubgraphCost, didResolveQueryPlan, useCostControl } from '../../../gateway/costControl/index.js';
import { EnvelopedGateway } from '../../../gateway/envelop/host.js';

/** Request header the test gateways turn into `context.principal`, standing in for a verified JWT. */
export const PRINCIPAL_HEADER = 'x-test-principal';

/** Reviews each product has, in the reviews subgraph and in its `@listSize(assumedSize:)`. */
export const REVIEWS_PER_PRODUCT = 4;

const catalogTypeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost", "@listSize"])
  type Query { products(first: Int = 5): [Product!]! @listSize(slicingArguments: ["first"]) @cost(weight: 3) }
  type Product @key(fields: "id") @cost(weight: 2) { id: ID! name: String }
`);

const reviewsTypeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@listSize"])
  type Product @key(fields: "id") { id: ID! reviews: [Review!]! @listSize(assumedSize: ${REVIEWS_PER_PRODUCT}) }
  type Review { body: String }
`);

/** Two subgraphs on 127.0.0.1 and their supergraph, counting the `products` calls the catalog serves. */
export interface TinyMesh {
  readonly subgraphUrls: ReadonlyMap<string, string>;
  readonly supergraphSdl: string;
  /** Calls of `Query.products` the catalog subgraph resolved. */
  productCalls(): number;
  stop(): Promise<void>;
}

export async function startTinyMesh(): Promise<TinyMesh> {
  let productCalls = 0;
  const catalog = await startSubgraph(
    buildSubgraphSchema({
      typeDefs: catalogTypeDefs,
      resolvers: {
        Query: {
          products: (_root: unknown, args: Record<string, unknown>) => {
            productCalls += 1;
            return Array.from({ length: Number(args.first) }, (_, index) => ({ id: `p${index}`, name: `Product ${index}` }));
          },
        },
      },
    }),
  );
  const reviews = await startSubgraph(
    buildSubgraphSchema({
      typeDefs: reviewsTypeDefs,
      resolvers: {
        Product: {
          reviews: (product: { id: string }) => Array.from({ length: REVIEWS_PER_PRODUCT }, (_, index) => ({ body: `${product.id} review ${index}` })),
        },
      },
    }),
  );
  const subgraphUrls = new Map([['catalog', catalog.url], ['reviews', reviews.url]]);
  return {
    subgraphUrls,
    supergraphSdl: composeSupergraph(subgraphUrls),
    productCalls: () => productCalls,
    stop: async () => {
      await catalog.server.stop();
      await reviews.server.stop();
    },
  };
}

async function startSubgraph(schema: GraphQLSchema): Promise<{ url: string; server: ApolloServer }> {
  const server = new ApolloServer({ schema });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
  return { url, server };
}

function composeSupergraph(subgraphUrls: ReadonlyMap<string, string>): string {
  const result = composeServices([
    { name: 'catalog', typeDefs: catalogTypeDefs, url: subgraphUrls.get('catalog') },
    { name: 'reviews', typeDefs: reviewsTypeDefs, url: subgraphUrls.get('reviews') },
  ]);
  if (result.errors) throw result.errors[0];
  return result.supergraphSdl;
}

/** A gateway over the tiny mesh, wired as `tests/e2e/cost/testGateway.ts` wires one. */
export interface TinyGateway {
  readonly graphqlUrl: string;
  close(): Promise<void>;
}

/**
 * Starts Apollo Gateway with the cost hooks and `useCostControl` on 127.0.0.1, port 0. A request
 * with the `x-test-principal` header gets a principal of that id in its context, as the
 * governance extension sets one from a verified token.
 */
export async function startTinyGateway(mesh: TinyMesh, overrides: ConfigInput, clock: () => number): Promise<TinyGateway> {
  const logger = createLogger({ level: 'silent' });
  const config = validateConfig({ ...overrides, gateway: { port: 0 } });
  const control = createCostControl({ config, supergraphSdl: mesh.supergraphSdl, logger, clock, defaultMetrics: false });

  const gateway = new ApolloGateway({
    supergraphSdl: mesh.supergraphSdl,
    logger,
    experimental_didResolveQueryPlan: didResolveQueryPlan,
    buildService: ({ name }) => guardSubgraphCost(name, new RemoteGraphQLDataSource({ url: mesh.subgraphUrls.get(name) })),
  });
  const plugins = [useCostControl({ runtime: control.runtime, limits: config.limits, estimator: control.estimator })];
  const apollo = new ApolloServer<RequestContext>({
    gateway: new EnvelopedGateway(gateway, plugins),
    logger,
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError(logger),
  });
  const service = await startService({ name: 'gateway', host: '127.0.0.1', port: 0, apollo, logger, context: withTestPrincipal });
  return {
    graphqlUrl: `${service.url}/graphql`,
    close: async () => {
      await service.close();
      await control.budgetStore.close();
    },
  };
}

async function withTestPrincipal(base: RequestContext): Promise<RequestContext> {
  const id = base.request.headers[PRINCIPAL_HEADER];
  if (typeof id !== 'string') return base;
  return { ...base, principal: { id, attributes: {} } };
}
