import { maskSha256 } from './sha256.js';
import { characters, valueText } from './valueText.js';

/**
 * `LAST_FOUR_CHARACTERS`: `XXXXX` followed by the last four characters of the value's text, so
 * `"4111111111111111"` → `"XXXXX1111"`. Text of four characters or fewer (including `""`) is hashed as
 * by `SHA256`, as BigQuery does. Characters are Unicode code points.
 */
export function maskLastFourCharacters(value: unknown): string {
  const text = characters(valueText(value));
  if (text.length <= 4) {
    return maskSha256(value);
  }
  return `XXXXX${text.slice(-4).join('')}`;
}
