import { maskSha256 } from './sha256.js';
import { valueText } from './valueText.js';

/**
 * A valid email address as the HTML Living Standard defines it for `<input type="email">`:
 * a dot-atom-like local part, `@`, and dot-separated domain labels of at most 63 characters.
 */
const VALID_EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)$/;

/**
 * `EMAIL_MASK`: the local part of a valid address replaced by `XXXXX`, so `"ada@example.com"` →
 * `"XXXXX@example.com"`. Text that is not a valid address (for example `"ada@"` or `""`) is hashed as
 * by `SHA256`, as BigQuery does.
 */
export function maskEmail(value: unknown): string {
  const match = VALID_EMAIL.exec(valueText(value));
  if (match === null) {
    return maskSha256(value);
  }
  return `XXXXX@${match[1]}`;
}
