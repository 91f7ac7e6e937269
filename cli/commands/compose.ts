import type { Command } from 'commander';
import { diffSchemaFiles, schemaFiles, writeSchemaFiles } from '../../gateway/compose.js';
import { loadCliConfig, runCommand, type GlobalOptions } from '../context.js';

export function registerComposeCommand(program: Command): void {
  program
    .command('compose')
    .description("Generate each subgraph's SDL from its data product and compose schema/supergraph.graphql.")
    .option('--check', 'write nothing; fail, listing the differences, when the checked-in files are stale')
    .option('--schema-dir <dir>', 'folder of the generated SDL files', 'schema')
    .action((options: { check?: boolean; schemaDir: string }, command: Command) =>
      runCommand(async () => {
        const config = loadCliConfig(command.optsWithGlobals<GlobalOptions>());
        const files = schemaFiles(config);
        if (!options.check) {
          writeSchemaFiles(options.schemaDir, files);
          process.stdout.write(`Wrote ${[...files.keys()].map((name) => `${options.schemaDir}/${name}`).join(', ')}\n`);
          return;
        }
        const differences = diffSchemaFiles(options.schemaDir, files);
        if (differences.length === 0) {
          process.stdout.write(`${options.schemaDir}/ is up to date.\n`);
          return;
        }
        for (const difference of differences) {
          process.stderr.write(`${difference.file} is stale:\n${difference.lines.map((line) => `  ${line}`).join('\n')}\n`);
        }
        process.stderr.write('Run `meshgate compose` and commit the result.\n');
        process.exitCode = 1;
      }),
    );
}
