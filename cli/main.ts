import { Command } from 'commander';
import { disableVendorTelemetry } from '../core/vendorTelemetry.js';
import { registerComposeCommand } from './commands/compose.js';
import { registerPipelineCommand } from './commands/pipeline.js';
import { registerServeCommand, registerStartCommand } from './commands/serve.js';
import { registerBenchCommand } from './commands/bench.js';
import { registerCostCommand } from './commands/cost.js';
import { registerPolicyCommand } from './commands/policy.js';
import { registerTokenCommand } from './commands/token.js';

/** Builds the `meshgate` command line; exported so tests can run commands in process. */
export function createProgram(): Command {
  const program = new Command('meshgate')
    .description('GraphQL data-mesh gateway: federated data products with masking and query cost control.')
    .option('-c, --config <file>', 'JSON configuration file (default: $MESHGATE_CONFIG); MESHGATE_* environment variables override it')
    .showHelpAfterError();
  registerStartCommand(program);
  registerServeCommand(program);
  registerComposeCommand(program);
  registerPipelineCommand(program);
  registerPolicyCommand(program);
  registerTokenCommand(program);
  registerCostCommand(program);
  registerBenchCommand(program);
  return program;
}

/** Runs the command line on `argv` (as in `process.argv`). */
export async function run(argv: string[]): Promise<void> {
  disableVendorTelemetry();
  try {
    await createProgram().parseAsync(argv);
  } catch (error) {
    process.stderr.write(`meshgate: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  void run(process.argv).then(() => {
    if (process.exitCode) process.exit(process.exitCode);
  });
}
