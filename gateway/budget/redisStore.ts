import { Redis } from 'ioredis';
import type { Logger } from '../../core/logger.js';
import { CHARGE_SCRIPT, CHARGE_SCRIPT_SHA } from './chargeScript.js';
import { refillMilliseconds } from './tokenBucket.js';
import type { BucketLimits, BudgetStore, ChargeOutcome } from './types.js';

export interface RedisStoreOptions {
  /** A connected client the caller owns and closes; or give `url`. */
  client?: Redis;
  /** `redis://host:port/db` of a Redis the store connects to and closes itself. */
  url?: string;
  /** Prefix of bucket keys, so several meshes can share one Redis; default `meshgate:budget:`. */
  keyPrefix?: string;
  /** With `url`: milliseconds a charge may wait for Redis before it fails; default 1000. */
  commandTimeoutMs?: number;
  logger?: Logger;
}

const DEFAULT_KEY_PREFIX = 'meshgate:budget:';
const DEFAULT_COMMAND_TIMEOUT_MS = 1000;

/**
 * Buckets in Redis, shared by every gateway replica that points at the same Redis and prefix.
 *
 * Each charge runs `CHARGE_SCRIPT` by EVALSHA and falls back to EVAL when Redis replies with a NOSCRIPT error
 * (after a restart or SCRIPT FLUSH); EVAL caches the script again for the next charge. A charge
 * that fails to reach Redis rejects, and the caller fails the request closed.
 */
export class RedisBudgetStore implements BudgetStore {
  private readonly client: Redis;
  private readonly ownsClient: boolean;
  private readonly keyPrefix: string;
  private readonly logger: Logger | undefined;

  constructor(options: RedisStoreOptions) {
    this.client = options.client ?? connect(options);
    this.ownsClient = options.client === undefined;
    this.keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.logger = options.logger;
  }

  async charge(key: string, cost: number, limits: BucketLimits, nowMs: number): Promise<ChargeOutcome> {
    const args = [
      String(limits.maximum),
      String(limits.restoreRate),
      String(nowMs),
      String(cost),
      String(refillMilliseconds(limits) + 1000),
    ];
    const reply = await this.runScript(this.keyPrefix + key, args);
    return parseReply(reply);
  }

  async close(): Promise<void> {
    if (!this.ownsClient) return;
    // QUIT waits for a reply, which a client still trying to connect never gets.
    if (this.client.status === 'ready') await this.client.quit();
    else this.client.disconnect();
  }

  private async runScript(key: string, args: string[]): Promise<unknown> {
    try {
      return await this.client.evalsha(CHARGE_SCRIPT_SHA, 1, key, ...args);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      this.logger?.info({ sha: CHARGE_SCRIPT_SHA }, 'budget script not cached in Redis; loading it with EVAL');
      return this.client.eval(CHARGE_SCRIPT, 1, key, ...args);
    }
  }
}

function connect(options: RedisStoreOptions): Redis {
  if (options.url === undefined) throw new TypeError('budget.redis: give either `client` or `url`; neither was set');
  return new Redis(options.url, {
    commandTimeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
  });
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

function parseReply(reply: unknown): ChargeOutcome {
  if (!Array.isArray(reply) || reply.length !== 2) {
    throw new TypeError(`budget script returned ${JSON.stringify(reply)}; expected [allowed, available]`);
  }
  const available = Number(reply[1]);
  if (!Number.isFinite(available)) throw new TypeError(`budget script returned available ${JSON.stringify(reply[1])}; expected a number`);
  return { allowed: reply[0] === 1, available };
}
