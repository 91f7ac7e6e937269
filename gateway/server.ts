import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { subgraphUrl, type MeshConfig, type SubgraphName } from '../core/config/index.js';
import { createFormatError } from '../core/http/formatError.js';
import { startService, type RequestContext, type ServiceHandle } from '../core/http/service.js';
import type { Logger } from '../core/logger.js';
import { didResolveQueryPlan, guardSubgraphCost } from './costControl/index.js';
import { EnvelopedGateway } from './envelop/host.js';
import { installScalarParsers } from './scalars.js';
import { disableVendorTelemetry } from '../core/vendorTelemetry.js';
import { createGatewayExtensions, type GatewayExtension } from './plugins.js';

/** Headers the gateway forwards to subgraphs, when the client sent them. */
const FORWARDED_HEADERS = ['authorization', 'x-request-id'];

/**
 * Creates the Apollo Gateway on the composed supergraph. Fetches go to the subgraph URLs of the
 * config, which override the routing URLs recorded in the supergraph, so one checked-in supergraph
 * serves every deployment.
 */
export function createGateway(
  config: MeshConfig,
  logger: Logger,
  supergraphSdl: string,
  subgraphUrls: ReadonlyMap<string, string> = new Map(),
): ApolloGateway {
  disableVendorTelemetry();
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger,
    experimental_didResolveQueryPlan: didResolveQueryPlan,
    buildService: ({ name, url }) => {
      const configured = subgraphUrls.get(name) ?? (name in config.subgraphs ? subgraphUrl(config, name as SubgraphName) : url);
      const dataSource = new RemoteGraphQLDataSource<RequestContext>({
        url: configured,
        willSendRequest: ({ request, context }) => {
          // Only headers the client actually sent are forwarded: an absent header stays absent.
          for (const header of FORWARDED_HEADERS) {
            const value = context.request?.headers[header];
            if (typeof value === 'string' && value !== '') request.http?.headers.set(header, value);
          }
          if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
        },
      });
      // Fetches to a subgraph over its own cost maximum are skipped; the others run.
      return guardSubgraphCost<RequestContext>(name, dataSource);
    },
  });
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => installScalarParsers(apiSchema));
  return gateway;
}

/**
 * Starts the gateway, sending fetches to `subgraphUrls` where given (services started on port 0):
 * Apollo Server with Apollo Gateway at `/graphql`, CSRF prevention on, the
 * landing page and introspection in development only, no stack traces in responses.
 */
export async function startGateway(
  config: MeshConfig,
  logger: Logger,
  subgraphUrls?: ReadonlyMap<string, string>,
): Promise<ServiceHandle> {
  const gatewayLogger = logger.child({ service: 'gateway' });
  const supergraphSdl = readFileSync(config.gateway.supergraphPath, 'utf8');
  const development = config.environment === 'development';
  const gateway = createGateway(config, gatewayLogger, supergraphSdl, subgraphUrls);
  const extensions = await createGatewayExtensions({ config, logger: gatewayLogger, supergraphSdl });
  const plugins = extensions.flatMap((extension) => extension.plugins ?? []);

  const apollo = new ApolloServer<RequestContext>({
    gateway: new EnvelopedGateway(gateway, plugins),
    logger: gatewayLogger,
    csrfPrevention: true,
    introspection: development,
    includeStacktraceInErrorResponses: false,
    // The CLI owns SIGTERM and SIGINT and closes every service in order; Apollo Server's own handler
    // would stop this one early and then re-send the signal, ending the process mid-shutdown.
    stopOnTerminationSignals: false,
    formatError: createFormatError(gatewayLogger),
    plugins: [development ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled()],
  });

  const service = await startService({
    name: 'gateway',
    host: config.gateway.host,
    port: config.gateway.port,
    apollo,
    logger: gatewayLogger,
    shutdownGraceMs: config.gateway.shutdownGraceMs,
    routes: Object.assign({}, ...extensions.map((extension) => extension.routes ?? {})),
    context: (base) => extendContext(base, extensions),
  });
  return {
    ...service,
    close: async () => {
      await service.close();
      for (const extension of extensions) await extension.close?.();
    },
  };
}

async function extendContext(base: RequestContext, extensions: readonly GatewayExtension[]): Promise<RequestContext> {
  let context: RequestContext = base;
  for (const extension of extensions) {
    if (extension.extendContext) context = { ...context, ...(await extension.extendContext(context)) };
  }
  return context;
}
