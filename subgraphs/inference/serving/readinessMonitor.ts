import type { Logger } from '../../../core/logger.js';
import type { Readiness } from '../clients/kserveReadiness.js';

/**
 * Keeps the last readiness of a remote model server, checked every `intervalMs`, so that a
 * readiness callback returns at once instead of calling the server. Each change is logged: at
 * warn when the server stops being ready, with the reason, and at info when it is ready again.
 * Checks never overlap: the next one is scheduled when the previous one has finished.
 */
export class ReadinessMonitor {
  private current: Readiness;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  /** `initial` is the readiness found before monitoring starts, for example by the startup wait. */
  constructor(
    private readonly check: () => Promise<Readiness>,
    initial: Readiness,
    private readonly options: { readonly intervalMs: number; readonly logger: Logger },
  ) {
    this.current = initial;
  }

  get ready(): boolean {
    return this.current.ready;
  }

  start(): void {
    this.schedule();
  }

  /** Stops checking. A check under way finishes but schedules no other. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.poll(), this.options.intervalMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    const next = await this.runCheck();
    if (next.ready !== this.current.ready) this.logChange(next);
    this.current = next;
    this.schedule();
  }

  /** Counts a check that throws, which only a bug in it can cause, as not ready: readiness fails closed. */
  private async runCheck(): Promise<Readiness> {
    try {
      return await this.check();
    } catch (error) {
      this.options.logger.error({ err: error }, 'readiness check failed');
      return { ready: false, reason: 'the readiness check failed' };
    }
  }

  private logChange(next: Readiness): void {
    if (next.ready) this.options.logger.info('model server ready again');
    else this.options.logger.warn({ reason: next.reason }, 'model server not ready');
  }
}
