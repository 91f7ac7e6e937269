import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino replaces with "[Redacted]" in every log line. Tokens, credentials and query variables
 * can carry secrets or values that masking hides from the caller, so none of them reach a log.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'token',
  'password',
  'secret',
  'variables',
  '*.variables',
  '*.token',
  '*.password',
  '*.secret',
];

/** Creates the root JSON logger of a process; components take `logger.child({ component })`. */
export function createLogger(options: { level?: string; name?: string; destination?: pino.DestinationStream } = {}): Logger {
  const config: LoggerOptions = {
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    name: options.name ?? 'meshgate',
    redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}
