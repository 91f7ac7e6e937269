import type { Command } from 'commander';
import { runPipeline } from '../../ops/pipeline/index.js';
import { cliLogger, loadCliConfig, runCommand, type GlobalOptions } from '../context.js';

export function registerPipelineCommand(program: Command): void {
  program
    .command('pipeline')
    .description('Build the lake and the warehouse of the embedded mesh from the vega-datasets files, unless the data folder is current.')
    .option('--force', 'rebuild even when the data folder is current')
    .action((options: { force?: boolean }, command: Command) =>
      runCommand(async () => {
        const config = loadCliConfig(command.optsWithGlobals<GlobalOptions>());
        const result = await runPipeline({ dataDir: config.dataDir, logger: cliLogger(config), force: options.force });
        process.stdout.write(result.built ? `Built ${config.dataDir}: ${formatRows(result.rows)}\n` : `${config.dataDir} is current.\n`);
      }),
    );
}

function formatRows(rows: Record<string, number>): string {
  return Object.entries(rows)
    .map(([name, count]) => `${name} ${count} rows`)
    .join(', ');
}
