import type { Column, DataType } from 'snowflake-sdk';
import type { Row } from '../backend.js';

/**
 * The SDK types a statement fetches as the text the server sent, so that no number becomes a JS
 * number on the way: NUMBER (FIXED and REAL) and the semi-structured VARIANT, OBJECT and ARRAY.
 * The SDK would otherwise parse those with `JSON.parse`, which rounds integers above 2^53.
 * snowflake-sdk 3.x accepts `Object` and `Array` here at run time (its `NativeTypes`), but its
 * `DataType` union omits them, hence the cast.
 */
export const FETCH_AS_STRING = ['Number', 'JSON', 'Object', 'Array'] as DataType[];

/**
 * A timestamp or date as snowflake-sdk 3.x returns it: a JS Date extended with the exact parts the
 * server sent (`lib/connection/result/sf_timestamp.js`). The Date itself contains milliseconds
 * only, so the adapter reads the parts and never the Date.
 */
interface SnowflakeDate {
  /** Whole seconds since 1970-01-01 UTC, rounded down. */
  getEpochSeconds(): number;
  /** Nanoseconds after `getEpochSeconds()`, from 0 to 999 999 999. */
  getNanoSeconds(): number;
  /** Digits of fractional seconds the column keeps, from 0 to 9. */
  getScale(): number;
  /** For TIMESTAMP_TZ, the value's offset from UTC in minutes. */
  getTimezone(): unknown;
}

type ValueConverter = (value: unknown) => unknown;

/** Largest offset from UTC of a TIMESTAMP_TZ, in minutes either way, as snowflake-sdk 3.x decodes it. */
const MAX_OFFSET_MINUTES = 24 * 60;

/**
 * Returns a function that turns one row of `rowMode: 'array'` values into the engine's row form,
 * keyed by column name. Values arrive as the SDK produces them with `FETCH_AS_STRING`.
 */
export function rowReader(columns: readonly Column[]): (values: readonly unknown[]) => Row {
  const converters = columns.map(valueConverter);
  return (values) => {
    const row: Row = {};
    columns.forEach((column, index) => {
      const value = values[index];
      row[column.getName()] = value === null || value === undefined ? null : converters[index](value);
    });
    return row;
  };
}

/**
 * Picks the conversion of one column's values to the row form:
 * - NUMBER: the decimal text the server sent (`"99999999999999999999999999999999999999"`, `"120.50"`);
 * - FLOAT: a JS number;
 * - DATE: `YYYY-MM-DD`;
 * - TIMESTAMP_NTZ: `YYYY-MM-DD HH:MM:SS[.fffffffff]`;
 * - TIMESTAMP_TZ: ISO 8601 with the value's own offset;
 * - TIMESTAMP_LTZ: ISO 8601 in UTC with `Z`;
 * - fractional seconds: as many digits as the column's scale keeps, trailing zeros dropped;
 * - VARIANT, OBJECT, ARRAY: their JSON text as the server sent it;
 * - BINARY: upper-case hex, as Snowflake's default BINARY_OUTPUT_FORMAT prints it;
 * - BOOLEAN, TEXT: as the SDK returns them.
 *
 * Structured OBJECT, ARRAY and MAP columns (declared with field types) are rejected when a value
 * arrives, because the SDK parses them with `JSON.parse` whatever it is asked to fetch.
 *
 * NOTE: TIME values are the SDK's text in the session's TIME_OUTPUT_FORMAT, whose default
 * (`HH24:MI:SS`) drops fractional seconds.
 */
function valueConverter(column: Column): ValueConverter {
  if (column.isObject() || column.isArray() || column.isMap()) return rejectStructuredValue(column);
  switch (column.getType()) {
    case 'real':
      return (value) => parseFloatText(value as string);
    case 'date':
      return (value) => civilTime(asSnowflakeDate(value, column).getEpochSeconds()).date;
    case 'timestamp_ntz':
      return (value) => formatWallClock(asSnowflakeDate(value, column), ' ');
    case 'timestamp_tz':
      return (value) => formatWithOffset(asSnowflakeDate(value, column));
    case 'timestamp_ltz':
      return (value) => `${formatWallClock(asSnowflakeDate(value, column), 'T')}Z`;
    case 'binary':
      return (value) => (value as Buffer).toString('hex').toUpperCase();
    default:
      return (value) => value;
  }
}

function rejectStructuredValue(column: Column): ValueConverter {
  return () => {
    throw new TypeError(
      `Column "${column.getName()}" is a structured ${column.getType().toUpperCase()}, which snowflake-sdk parses into JS numbers that ` +
        'round integers above 2^53; cast it to VARIANT in the view the data product reads.',
    );
  };
}

/**
 * Parses FLOAT text. Snowflake spells FLOAT's special values `NaN`, `inf` and `-inf`, and
 * `Number()` parses only the first of them.
 */
function parseFloatText(text: string): number {
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}

/**
 * Checks that a date value carries the exact parts. Without them only the millisecond Date would
 * remain, and converting it would drop digits silently.
 */
function asSnowflakeDate(value: unknown, column: Column): SnowflakeDate {
  const candidate = value as Partial<SnowflakeDate>;
  if (typeof candidate.getEpochSeconds === 'function' && typeof candidate.getNanoSeconds === 'function') return value as SnowflakeDate;
  throw new TypeError(
    `snowflake-sdk returned column "${column.getName()}" (${column.getType()}) without getEpochSeconds() and getNanoSeconds(); ` +
      'the Snowflake backend needs snowflake-sdk 3.x to read dates and timestamps exactly.',
  );
}

/** Returns the UTC date and time of day of whole seconds since the epoch. A Date is exact for whole seconds. */
function civilTime(epochSeconds: number): { date: string; time: string } {
  const iso = new Date(epochSeconds * 1000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19) };
}

/** `YYYY-MM-DD<separator>HH:MM:SS[.f…]` of the UTC wall clock, shifted by `offsetMinutes` first. */
function formatWallClock(value: SnowflakeDate, separator: ' ' | 'T', offsetMinutes = 0): string {
  const { date, time } = civilTime(value.getEpochSeconds() + offsetMinutes * 60);
  return `${date}${separator}${time}${fractionText(value.getNanoSeconds(), value.getScale())}`;
}

/** ISO 8601 with the offset stored in the TIMESTAMP_TZ value, for example `2024-03-10T07:02:03.5+05:30`. */
function formatWithOffset(value: SnowflakeDate): string {
  const offset = value.getTimezone();
  if (typeof offset !== 'number' || !Number.isInteger(offset) || Math.abs(offset) > MAX_OFFSET_MINUTES) {
    throw new TypeError(`snowflake-sdk returned a TIMESTAMP_TZ offset of ${String(offset)} minutes; expected an integer within ±${MAX_OFFSET_MINUTES}.`);
  }
  return `${formatWallClock(value, 'T', offset)}${offsetText(offset)}`;
}

/** `.ddd…` with the `scale` leading digits of the nanoseconds, trailing zeros dropped; empty for a whole second. */
function fractionText(nanoseconds: number, scale: number): string {
  const digits = String(nanoseconds).padStart(9, '0').slice(0, scale).replace(/0+$/, '');
  return digits === '' ? '' : `.${digits}`;
}

/** `+HH:MM` or `-HH:MM` of an offset in minutes. */
function offsetText(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const magnitude = Math.abs(offsetMinutes);
  const hours = String(Math.floor(magnitude / 60)).padStart(2, '0');
  const minutes = String(magnitude % 60).padStart(2, '0');
  return `${sign}${hours}:${minutes}`;
}

/**
 * Returns the Snowflake type name of a result column as `CAST` accepts it: `NUMBER(p,s)`, `FLOAT`,
 * `VARCHAR`, `BINARY`, `BOOLEAN`, `DATE`, `TIME`, `TIMESTAMP_NTZ`, `TIMESTAMP_LTZ`, `TIMESTAMP_TZ`,
 * `VARIANT`, `OBJECT` or `ARRAY`. Lengths and fractional precisions are left out, so a cast keeps
 * Snowflake's maximum (VARCHAR of 16 MB, 9 fractional digits).
 */
export function castableType(column: Column): string {
  switch (column.getType()) {
    case 'fixed':
      return `NUMBER(${column.getPrecision()},${column.getScale()})`;
    case 'real':
      return 'FLOAT';
    case 'text':
      return 'VARCHAR';
    default:
      return column.getType().toUpperCase();
  }
}
