import type { ValueKind } from '../types.js';
import { DEFAULT_VALUES } from './defaultValue.js';
import { valueText } from './valueText.js';

const DATE = /^(\d{4})-\d{2}-\d{2}$/;
const LOCAL_DATE_TIME = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/**
 * `DATE_YEAR_MASK`: the value truncated to January 1 of its year, as BigQuery does:
 * `Date` `"2001-07-15"` → `"2001-01-01"`; `LocalDateTime` `"2001-07-15T10:00:00"` →
 * `"2001-01-01T00:00:00"`; `DateTime` truncated in UTC, so `"2001-07-15T10:00:00Z"` →
 * `"2001-01-01T00:00:00Z"` and `"2001-01-01T02:00:00+05:00"` → `"2000-01-01T00:00:00Z"`.
 * A value that does not parse as its kind becomes that kind's default value (`1970-01-01…`), never
 * the raw text.
 */
export function maskDateYear(value: unknown, kind: ValueKind): string {
  const text = valueText(value);
  const year = kind === 'dateTime' ? utcYear(text) : localYear(text, kind === 'date' ? DATE : LOCAL_DATE_TIME);
  if (year === undefined) {
    return String(DEFAULT_VALUES[kind]);
  }
  if (kind === 'date') {
    return `${year}-01-01`;
  }
  return kind === 'dateTime' ? `${year}-01-01T00:00:00Z` : `${year}-01-01T00:00:00`;
}

function localYear(text: string, pattern: RegExp): string | undefined {
  return pattern.exec(text)?.[1];
}

/** Reads the UTC year of an ISO 8601 date-time that carries `Z` or an offset. */
function utcYear(text: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i.test(text)) {
    return undefined;
  }
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime())) {
    return undefined;
  }
  return String(instant.getUTCFullYear()).padStart(4, '0');
}
