import { createHmac } from 'node:crypto';

import { errors } from '../../../core/errors/index.js';
import { valueText } from './valueText.js';

/**
 * `KEYED_SHA256`: HMAC-SHA256 of the value's UTF-8 text under `secret`, as 64 lowercase hex digits.
 * Unlike `SHA256`, a caller without the key cannot confirm a guessed value by hashing it.
 *
 * @throws MASK_CONFIG_INVALID when `secret` is missing or empty.
 */
export function maskKeyedSha256(value: unknown, secret: string | undefined): string {
  if (secret === undefined || secret === '') {
    throw errors.MASK_CONFIG_INVALID.error('Mask rule KEYED_SHA256 needs the option hmacSecret, and none was given.');
  }
  return createHmac('sha256', secret).update(valueText(value), 'utf8').digest('hex');
}
