import { maskSha256 } from './sha256.js';
import { characters, valueText } from './valueText.js';

/**
 * `FIRST_FOUR_CHARACTERS`: the first four characters of the value's text followed by `XXXXX`, so
 * `"abcdefg"` → `"abcdXXXXX"`. Text of four characters or fewer (including `""`) is hashed as by
 * `SHA256`, as BigQuery does. Characters are Unicode code points.
 */
export function maskFirstFourCharacters(value: unknown): string {
  const text = characters(valueText(value));
  if (text.length <= 4) {
    return maskSha256(value);
  }
  return `${text.slice(0, 4).join('')}XXXXX`;
}
