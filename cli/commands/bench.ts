import type { Command } from 'commander';
import { runBenchmarks } from '../../ops/bench/run.js';
import { cliLogger, loadCliConfig, runCommand, type GlobalOptions } from '../context.js';

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('Run the benchmarks against the embedded mesh and write the results to ops/bench/results.md.')
    .option('--iterations <n>', 'timed runs of each query', (value) => Number.parseInt(value, 10), 30)
    .option('--output <file>', 'markdown page to write', 'ops/bench/results.md')
    .action((options: { iterations: number; output: string }, command: Command) =>
      runCommand(async () => {
        const config = loadCliConfig(command.optsWithGlobals<GlobalOptions>());
        if (!Number.isInteger(options.iterations) || options.iterations < 1) throw new Error('--iterations must be a whole number of 1 or more.');
        await runBenchmarks({ config, logger: cliLogger(config), iterations: options.iterations, output: options.output });
        process.stdout.write(`Wrote ${options.output}\n`);
      }),
    );
}
