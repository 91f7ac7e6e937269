import { errors } from '../../core/errors/index.js';
import type { Logger } from '../../core/logger.js';
import type { ArgumentCoordinateResolver } from './argumentCoordinates.js';
import type { Decider, MaskCatalog, Principal } from './types.js';

/** Options of `useMasking`. */
export interface MaskingOptions<Context = unknown> {
  /** The governed fields, from `readMaskCatalog`. */
  catalog: MaskCatalog;
  decider: Decider;
  /** Returns the caller of a request; when it throws, the caller is treated as `anonymous`. */
  getPrincipal(context: Context): Principal;
  /** The HMAC key of `KEYED_SHA256`; required when the catalog uses that rule. */
  hmacSecret?: string;
  /** Maps filter, order, group and aggregate names to coordinates; defaults to the engine's naming convention. */
  argumentCoordinates?: ArgumentCoordinateResolver;
  /** Defaults to a child of `createLogger()` with `component: 'masking'`. */
  logger?: Logger;
}

/**
 * Checks the options of `useMasking` at startup.
 *
 * @throws MASK_CONFIG_INVALID naming the option path, what was expected and what was found.
 */
export function validateMaskingOptions<Context>(options: MaskingOptions<Context>): void {
  if (!(options.catalog instanceof Map)) {
    throw invalid('catalog', 'a Map from readMaskCatalog', typeof options.catalog);
  }
  if (typeof options.decider?.decide !== 'function') {
    throw invalid('decider.decide', 'a function', typeof options.decider?.decide);
  }
  if (typeof options.getPrincipal !== 'function') {
    throw invalid('getPrincipal', 'a function', typeof options.getPrincipal);
  }
  const keyed = [...options.catalog.values()].find((entry) => entry.rule === 'KEYED_SHA256');
  if (keyed !== undefined && (typeof options.hmacSecret !== 'string' || options.hmacSecret === '')) {
    throw invalid('hmacSecret', `a non-empty string, because ${keyed.coordinate} uses KEYED_SHA256`, 'none');
  }
}

function invalid(path: string, expected: string, found: string): Error {
  return errors.MASK_CONFIG_INVALID.error(`Invalid masking option ${path}: expected ${expected}, found ${found}.`);
}
