import type { Command } from 'commander';
import { PIPELINE_STEPS, runPipeline, runPipelineStep, type PipelineStep } from '../../ops/pipeline/index.js';
import { cliLogger, loadCliConfig, runCommand, type GlobalOptions } from '../context.js';

export function registerPipelineCommand(program: Command): void {
  program
    .command('pipeline')
    .description(
      'Build the data folder of the embedded mesh: the lake, the warehouse, the embedding cache, the flight-delay model and the search index, each unless current. ' +
        'With a step, run only that step on a built folder: `train` the model or `index` the search collections. ' +
        'With vector.backend set to weaviate or elasticsearch, the index step writes the collections into that cluster instead of the data folder.',
    )
    .argument('[step]', `one of ${PIPELINE_STEPS.join(', ')}`)
    .option('--force', 'rebuild even when the data folder or the step is current')
    .action((step: string | undefined, options: { force?: boolean }, command: Command) =>
      runCommand(async () => {
        const config = loadCliConfig(command.optsWithGlobals<GlobalOptions>());
        if (step !== undefined) {
          if (!(PIPELINE_STEPS as readonly string[]).includes(step)) throw new Error(`Unknown pipeline step "${step}"; expected one of ${PIPELINE_STEPS.join(', ')}.`);
          await runPipelineStep(step as PipelineStep, { dataDir: config.dataDir, logger: cliLogger(config), force: options.force, vectorBackend: config.vector.backend });
          const target = step === 'index' && config.vector.backend.kind !== 'embedded' ? `${config.vector.backend.kind} at ${config.vector.backend.url}` : config.dataDir;
          process.stdout.write(`Step ${step} done in ${target}.\n`);
          return;
        }
        const result = await runPipeline({ dataDir: config.dataDir, logger: cliLogger(config), force: options.force, vectorBackend: config.vector.backend });
        process.stdout.write(result.built ? `Built ${config.dataDir}: ${formatRows(result.rows)}\n` : `${config.dataDir} is current.\n`);
      }),
    );
}

function formatRows(rows: Record<string, number>): string {
  return Object.entries(rows)
    .map(([name, count]) => `${name} ${count} rows`)
    .join(', ');
}
