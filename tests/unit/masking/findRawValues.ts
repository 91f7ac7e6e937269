/**
 * Returns the raw values that appear in a serialized response body: a string as its JSON text (quotes
 * included, so `"ORD"` does not match `"ORDER"`), a number as a whole JSON number token.
 */
export function findRawValues(body: string, rawValues: ReadonlyArray<string | number>): Array<string | number> {
  return rawValues.filter((raw) => {
    if (typeof raw === 'string') {
      return body.includes(JSON.stringify(raw)) || body.includes(raw);
    }
    const token = new RegExp(`(?<![\\w.\\-])${String(raw).replace('.', '\\.')}(?![\\w.])`);
    return token.test(body);
  });
}
