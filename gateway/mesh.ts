import { existsSync, readFileSync } from 'node:fs';
import type { MeshConfig } from '../core/config/index.js';
import type { ServiceHandle } from '../core/http/service.js';
import type { Logger } from '../core/logger.js';
import { runPipeline } from '../ops/pipeline/index.js';
import { SUBGRAPHS } from '../subgraphs/registry.js';
import { schemaFiles, SUPERGRAPH_FILE } from './compose.js';
import { startGateway } from './server.js';

/** The subgraphs and the gateway of one process, gateway last. */
export interface RunningMesh {
  readonly services: readonly ServiceHandle[];
  readonly gateway: ServiceHandle;
  close(): Promise<void>;
}

/** Stops services in the reverse order of their start, logging a failure and going on. */
export async function stopServices(services: readonly ServiceHandle[], logger: Logger): Promise<void> {
  for (const service of [...services].reverse()) {
    try {
      await service.close();
    } catch (error) {
      logger.error({ err: error, service: service.name }, 'service failed to stop');
    }
  }
}

/**
 * Starts every subgraph and then the gateway, pointing the gateway at the addresses the subgraphs
 * actually listen on (so port 0 works). Builds the data folder first unless `skipPipeline`.
 *
 * @throws Error naming `gateway.supergraphPath` when the supergraph file does not exist.
 */
export async function startMesh(config: MeshConfig, logger: Logger, options: { skipPipeline?: boolean } = {}): Promise<RunningMesh> {
  if (!options.skipPipeline) await runPipeline({ dataDir: config.dataDir, logger });
  checkSupergraph(config, logger);

  const services: ServiceHandle[] = [];
  try {
    for (const entry of SUBGRAPHS) services.push(await entry.start(config, logger));
    const urls = new Map(services.map((service) => [service.name, `${service.url}/graphql`]));
    services.push(await startGateway(config, logger, urls));
  } catch (error) {
    await stopServices(services, logger);
    throw error;
  }
  return { services, gateway: services[services.length - 1], close: () => stopServices(services, logger) };
}

function checkSupergraph(config: MeshConfig, logger: Logger): void {
  const file = config.gateway.supergraphPath;
  if (!existsSync(file)) throw new Error(`gateway.supergraphPath: ${file} does not exist; run \`meshgate compose\` to create it.`);
  const generated = schemaFiles(config).get(SUPERGRAPH_FILE) ?? '';
  if (withoutRoutingUrls(generated) !== withoutRoutingUrls(readFileSync(file, 'utf8'))) {
    logger.warn({ supergraph: file }, 'the supergraph differs from what the data products generate now; run `meshgate compose`');
  }
}

/**
 * Drops the subgraphs' routing URLs from a supergraph SDL. The gateway sends fetches to the URLs of
 * its configuration, so a supergraph composed with other ports is not stale.
 */
function withoutRoutingUrls(supergraphSdl: string): string {
  return supergraphSdl.replace(/(@join__graph\(name: "[^"]*"), url: "[^"]*"\)/g, '$1)');
}
