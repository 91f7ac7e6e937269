import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { DocumentNode } from 'graphql';
import { createFormatError } from '../../core/http/formatError.js';
import { startService, type RequestContext, type ServiceHandle } from '../../core/http/service.js';
import type { Logger } from '../../core/logger.js';
import { createSubgraphMetrics, metricsRoute } from './metrics.js';

export interface SubgraphOptions {
  readonly name: string;
  readonly typeDefs: DocumentNode;
  readonly resolvers: ReadonlyArray<GraphQLResolverMap<object>>;
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
  readonly shutdownGraceMs?: number;
  /** Runs after the HTTP server has stopped, to release backends. */
  readonly onClose?: () => Promise<void>;
  /** `/readyz` returns 200 only while this returns true, for example while a model server is ready. */
  readonly ready?: () => boolean;
  /** Statements the backend has run, exported on `/metrics`. */
  readonly statementsRun?: () => number;
  /** Apollo Server plugins of this subgraph, added after the ones every subgraph has. */
  readonly plugins?: ReadonlyArray<ApolloServerPlugin<RequestContext>>;
}

/** Merges resolver maps; fields of the same type from later maps are added to earlier ones. */
export function mergeResolvers(maps: ReadonlyArray<GraphQLResolverMap<object>>): GraphQLResolverMap<object> {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [typeName, fields] of Object.entries(map)) {
      const isScalar = typeof fields === 'object' && fields !== null && 'serialize' in fields;
      merged[typeName] = isScalar ? (fields as unknown as Record<string, unknown>) : { ...(merged[typeName] ?? {}), ...(fields as object) };
    }
  }
  return merged as unknown as GraphQLResolverMap<object>;
}

/**
 * Sets HTTP 200 whenever the operation executed, whatever status its field errors ask for. Apollo
 * Gateway treats any other status from a subgraph as a failed fetch and drops the coded errors of the
 * body, so a field error such as COLLECTION_NOT_FOUND would reach the client as an internal one. The
 * gateway sets the status of the whole request itself.
 */
function executionErrorsAsOk(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const executed = response.body.kind === 'single' && 'data' in response.body.singleResult;
          if (executed) response.http.status = 200;
        },
      };
    },
  };
}

/**
 * Starts a subgraph: its federated schema served by Apollo Server behind the gateway. Landing page
 * off and no stack traces in responses; introspection stays on because the gateway's tooling and
 * `_service { sdl }` need it.
 */
export async function startSubgraph(options: SubgraphOptions): Promise<ServiceHandle> {
  const logger = options.logger.child({ service: options.name });
  const schema = buildSubgraphSchema([{ typeDefs: options.typeDefs, resolvers: mergeResolvers(options.resolvers) }]);
  const apollo = new ApolloServer<RequestContext>({
    schema,
    logger,
    includeStacktraceInErrorResponses: false,
    // The CLI owns SIGTERM and SIGINT and closes every service in order; Apollo Server's own handler
    // would stop this one early and then re-send the signal, ending the process mid-shutdown.
    stopOnTerminationSignals: false,
    formatError: createFormatError(logger),
    // Inline traces serve Apollo's usage reporting, which this mesh does not use.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), executionErrorsAsOk(), ...(options.plugins ?? [])],
  });
  const metrics = createSubgraphMetrics(options.name, options.statementsRun ?? (() => 0));
  const service = await startService({
    name: options.name,
    routes: { '/metrics': metricsRoute(metrics) },
    host: options.host,
    port: options.port,
    apollo,
    logger,
    shutdownGraceMs: options.shutdownGraceMs,
    ready: options.ready,
  });
  return {
    ...service,
    close: async () => {
      await service.close();
      await options.onClose?.();
    },
  };
}
