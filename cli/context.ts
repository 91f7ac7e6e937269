import { ConfigError, loadConfig, type MeshConfig } from '../core/config/index.js';
import { createLogger, type Logger } from '../core/logger.js';

/** Options every command accepts. */
export interface GlobalOptions {
  config?: string;
}

/** Loads the configuration named by `--config` or `MESHGATE_CONFIG`, with environment overrides. */
export function loadCliConfig(options: GlobalOptions): MeshConfig {
  return loadConfig({ file: options.config ?? process.env.MESHGATE_CONFIG });
}

export function cliLogger(config: MeshConfig): Logger {
  return createLogger({ level: config.log.level });
}

/**
 * Runs a command body, turning a configuration error into its message on stderr and exit code 2,
 * and any other error into a log line and exit code 1, without a stack trace for config mistakes.
 */
export async function runCommand(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`meshgate: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

/** Resolves when the process receives SIGTERM or SIGINT. */
export function waitForShutdownSignal(logger: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutdown requested');
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
