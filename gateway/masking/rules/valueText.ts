/**
 * Returns the text a string rule works on: a string as is, a number, bigint or boolean as
 * `String(value)`, anything else as its JSON text.
 */
export function valueText(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(value) ?? '';
}

/** Splits text into Unicode code points, so that a character outside the BMP counts once. */
export function characters(text: string): string[] {
  return Array.from(text);
}
