import type { Command } from 'commander';
import { startMesh } from '../../gateway/mesh.js';
import { startGateway } from '../../gateway/server.js';
import { findSubgraph, SUBGRAPHS } from '../../subgraphs/registry.js';
import { cliLogger, loadCliConfig, runCommand, waitForShutdownSignal, type GlobalOptions } from '../context.js';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Run the whole mesh on embedded defaults: build the data folder if needed, start every subgraph and the gateway.')
    .option('--skip-pipeline', 'start on the data folder as it is, without checking that it is current')
    .action((options: { skipPipeline?: boolean }, command: Command) =>
      runCommand(async () => {
        const config = loadCliConfig(command.optsWithGlobals<GlobalOptions>());
        const logger = cliLogger(config);
        const mesh = await startMesh(config, logger, { skipPipeline: options.skipPipeline });
        process.stdout.write(
          `\nmeshgate is ready. Send GraphQL to ${mesh.gateway.url}/graphql (open it in a browser for the sandbox).\nPress Ctrl+C to stop.\n\n`,
        );
        await waitForShutdownSignal(logger);
        await mesh.close();
      }),
    );
}

export function registerServeCommand(program: Command): void {
  const names = [...SUBGRAPHS.map((entry) => entry.name), 'gateway'];
  program
    .command('serve')
    .description('Run one service, as a container runs it; the data folder must already be built.')
    .argument('<service>', `one of ${names.join(', ')}`)
    .action((service: string, _options: object, command: Command) =>
      runCommand(async () => {
        const entry = findSubgraph(service);
        if (!entry && service !== 'gateway') throw new Error(`Unknown service "${service}"; expected one of ${names.join(', ')}.`);
        const config = loadCliConfig(command.optsWithGlobals<GlobalOptions>());
        const logger = cliLogger(config);
        const handle = entry ? await entry.start(config, logger) : await startGateway(config, logger);
        await waitForShutdownSignal(logger);
        await handle.close();
      }),
    );
}
