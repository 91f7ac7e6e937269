import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../core/config/index.js';
import { createLogger, type Logger } from '../../core/logger.js';
import { SCHEMA_FILE, compilePolicies, type CompiledPolicies } from './compilePolicies.js';
import { readPolicyFolder, isPolicyFile } from './policyFolder.js';
import { formatIssue } from './sourceLocation.js';

export interface PolicyStoreOptions {
  /** Folder holding `schema.cedarschema` and the `*.cedar` policy files. */
  dir: string;
  logger?: Logger;
  /** Quiet time after the last change in the folder before a reload, in milliseconds; default 200. */
  debounceMs?: number;
}

type ReloadListener = (compiled: CompiledPolicies) => void;

let storeCount = 0;

/**
 * The current policies of a folder, validated against its Cedar schema. `watch()` reloads them when
 * a file changes. A reload that fails validation keeps the previous policies and logs the issues,
 * so a bad edit never leaves the gateway without policies.
 */
export class PolicyStore {
  private compiled: CompiledPolicies;
  private readonly slots: [string, string];
  private activeSlot = 0;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<ReloadListener>();
  private readonly logger: Logger;

  private constructor(
    readonly dir: string,
    logger: Logger,
    private readonly debounceMs: number,
  ) {
    storeCount += 1;
    this.slots = [`policy-store-${storeCount}:a`, `policy-store-${storeCount}:b`];
    this.logger = logger.child({ module: 'policy-store' });
    this.compiled = this.compileOrThrow();
  }

  /**
   * Loads and validates the policies of `options.dir`.
   *
   * @throws ConfigError listing each issue as `file:line:column: message` when the folder is invalid.
   */
  static load(options: PolicyStoreOptions): PolicyStore {
    const store = new PolicyStore(options.dir, options.logger ?? createLogger(), options.debounceMs ?? 200);
    store.logger.info({ dir: options.dir, version: store.version }, 'policies loaded');
    return store;
  }

  get current(): CompiledPolicies {
    return this.compiled;
  }

  get version(): string {
    return this.compiled.version;
  }

  /** Re-reads the folder. Returns true when the policies changed; on any issue keeps the previous ones. */
  reload(): boolean {
    const previous = this.compiled.version;
    let next: CompiledPolicies;
    try {
      next = this.compileInto(1 - this.activeSlot);
    } catch (error) {
      this.logger.error({ dir: this.dir, version: previous, err: error }, 'policy reload failed, keeping the previous policies');
      return false;
    }
    if (next.version === previous) return false;

    this.activeSlot = 1 - this.activeSlot;
    this.compiled = next;
    this.logger.info({ dir: this.dir, previousVersion: previous, version: next.version }, 'policies reloaded');
    for (const listener of this.listeners) listener(next);
    return true;
  }

  /** Calls `listener` after each reload that changed the policies; returns a function that removes it. */
  onReload(listener: ReloadListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Watches the folder and reloads after changes settle for `debounceMs`. */
  watch(): void {
    if (this.watcher !== undefined) return;
    this.watcher = watch(this.dir, (_event, file) => {
      if (file === null || file === SCHEMA_FILE || isPolicyFile(file)) this.scheduleReload();
    });
    this.watcher.on('error', (error) => this.logger.error({ dir: this.dir, err: error }, 'policy folder watch failed'));
    this.logger.info({ dir: this.dir, debounceMs: this.debounceMs }, 'watching policy folder');
  }

  /** Stops watching; the current policies stay usable. */
  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private scheduleReload(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.reload(), this.debounceMs);
  }

  private compileOrThrow(): CompiledPolicies {
    try {
      return this.compileInto(this.activeSlot);
    } catch (error) {
      if (error instanceof PolicyFolderError) throw new ConfigError(error.issues);
      throw new ConfigError([`policies: ${(error as Error).message}`]);
    }
  }

  private compileInto(slot: number): CompiledPolicies {
    const result = compilePolicies(readPolicyFolder(this.dir), this.slots[slot]);
    if (!result.ok) {
      const issues = result.issues.map((issue) => formatIssue({ ...issue, file: path.join(this.dir, issue.file) }));
      throw new PolicyFolderError(this.dir, issues);
    }
    return result.compiled;
  }
}

class PolicyFolderError extends Error {
  constructor(
    dir: string,
    readonly issues: string[],
  ) {
    super(`policy folder ${dir} is invalid:\n${issues.join('\n')}`);
    this.name = 'PolicyFolderError';
  }
}
