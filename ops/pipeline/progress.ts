import { MultiBar, Presets } from 'cli-progress';
import type { Logger } from '../../core/logger.js';

/** A step's progress: a bar with counts on a terminal, log lines elsewhere. */
export interface ProgressBar {
  increment(amount: number, detail?: string): void;
  stop(): void;
}

export interface ProgressReporter {
  start(step: string, total: number, unit: string): ProgressBar;
  close(): void;
}

/** Reports progress as bars on stderr when it is a terminal, and as JSON log lines otherwise. */
export function createProgressReporter(logger: Logger, interactive = Boolean(process.stderr.isTTY)): ProgressReporter {
  if (!interactive) return logProgress(logger);
  const bars = new MultiBar(
    { format: ' {step} |{bar}| {value}/{total} {unit} {detail}', hideCursor: true, clearOnComplete: false, stream: process.stderr },
    Presets.shades_classic,
  );
  return {
    start(step, total, unit) {
      const bar = bars.create(total, 0, { step: step.padEnd(24), unit, detail: '' });
      return {
        increment: (amount, detail = '') => bar.increment(amount, { detail }),
        stop: () => bar.stop(),
      };
    },
    close: () => bars.stop(),
  };
}

function logProgress(logger: Logger): ProgressReporter {
  return {
    start(step, total, unit) {
      let done = 0;
      logger.info({ step, total, unit }, 'pipeline step started');
      return {
        increment(amount, detail) {
          done += amount;
          logger.info({ step, done, total, unit, detail }, 'pipeline step progress');
        },
        stop: () => logger.info({ step, done, total, unit }, 'pipeline step finished'),
      };
    },
    close: () => undefined,
  };
}
