/**
 * Result values of the BigQuery REST API in the engine's row form, and schema types as GoogleSQL
 * names. The cells are read as the text the API sends, so that nothing passes through a JavaScript
 * number or Date: INT64 stays decimal text, NUMERIC and BIGNUMERIC become plain decimal text, and
 * TIMESTAMP is converted from int64 microseconds.
 */
import type { TableField } from '@google-cloud/bigquery';
import { errors } from '../../../core/errors/index.js';
import type { Row } from '../backend.js';
import { bigQueryDialect } from '../sql/dialect.js';

/** One cell of a result row as the REST API sends it: text, or null for SQL NULL. */
interface WireCell {
  readonly v: unknown;
}

/** Reads one REST cell text into the row form. */
type CellReader = (text: string) => unknown;

const asText: CellReader = (text) => text;

/** Readers by REST type name, legacy names (INTEGER, FLOAT, BOOLEAN) included. */
const CELL_READERS: Readonly<Record<string, CellReader>> = {
  INTEGER: asText,
  INT64: asText,
  FLOAT: Number,
  FLOAT64: Number,
  NUMERIC: toPlainDecimal,
  BIGNUMERIC: toPlainDecimal,
  BOOLEAN: readBoolean,
  BOOL: readBoolean,
  TIMESTAMP: microsecondsToInstant,
  // The REST API writes DATETIME as `YYYY-MM-DDTHH:MM:SS[.ffffff]`, and the row form has a space
  // in place of the T.
  DATETIME: (text) => text.replace('T', ' '),
  DATE: asText,
  TIME: asText,
  STRING: asText,
  BYTES: asText,
  GEOGRAPHY: asText,
  JSON: asText,
  INTERVAL: asText,
};

/** A result row as the REST API sends it: `{"f": [{"v": …}, …]}`, one cell per schema field. */
export interface WireRow {
  readonly f: readonly WireCell[];
}

/**
 * Returns a function that turns one REST result row into the engine's row form, keyed by column
 * name, after picking a reader for each field of the result schema.
 *
 * @throws BACKEND_QUERY_FAILED naming a column whose type the row form has no place for.
 */
export function rowReader(fields: readonly TableField[]): (row: WireRow) => Row {
  const readers = fields.map(cellReader);
  const names = fields.map((field) => String(field.name));
  return (wireRow) => {
    const row: Row = {};
    readers.forEach((read, i) => {
      const cell = wireRow.f[i]?.v;
      row[names[i]] = cell === null || cell === undefined ? null : read(String(cell));
    });
    return row;
  };
}

function cellReader(field: TableField): CellReader {
  const read = field.mode === 'REPEATED' ? undefined : CELL_READERS[String(field.type)];
  if (read === undefined) {
    throw errors.BACKEND_QUERY_FAILED.error(
      `Column "${String(field.name)}" has BigQuery type ${googleSqlType(field)}, which the BigQuery backend does not read; ` +
        'map a column of a scalar type, or a view that flattens this one.',
      { reason: 'unsupportedColumnType' },
    );
  }
  return read;
}

function readBoolean(text: string): boolean {
  return text.toLowerCase() === 'true';
}

const MICROSECONDS_PER_SECOND = 1_000_000n;

/**
 * Converts int64 microseconds since the Unix epoch to ISO 8601 in UTC with `Z`, with six fraction
 * digits unless the fraction is zero. Only whole seconds go through Date, which works in UTC and
 * keeps no microseconds.
 */
function microsecondsToInstant(text: string): string {
  if (!/^-?\d+$/.test(text)) {
    throw errors.BACKEND_QUERY_FAILED.error('BigQuery sent a TIMESTAMP that is not int64 microseconds, although the request asked for them.');
  }
  const micros = BigInt(text);
  let seconds = micros / MICROSECONDS_PER_SECOND;
  let fraction = micros % MICROSECONDS_PER_SECOND;
  if (fraction < 0n) {
    // BigInt division truncates toward zero, but an instant before 1970 needs the floor.
    seconds -= 1n;
    fraction += MICROSECONDS_PER_SECOND;
  }
  const wholeSeconds = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return fraction === 0n ? `${wholeSeconds}Z` : `${wholeSeconds}.${fraction.toString().padStart(6, '0')}Z`;
}

const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * Returns NUMERIC and BIGNUMERIC text as a plain decimal. Text without an exponent is returned as
 * sent. Text with one has its decimal point moved by string operations, so no digit is lost.
 */
function toPlainDecimal(text: string): string {
  const match = DECIMAL_TEXT.exec(text);
  if (match === null) {
    throw errors.BACKEND_QUERY_FAILED.error(`BigQuery sent a NUMERIC value that is not a decimal number: ${JSON.stringify(text)}.`);
  }
  const [, sign, integer, fraction = '', exponent] = match;
  if (exponent === undefined) return text;

  const digits = integer + fraction;
  const point = integer.length + Number(exponent);
  const padded = point <= 0 ? '0'.repeat(1 - point) + digits : digits.padEnd(point, '0');
  const shiftedPoint = Math.max(point, 1);
  const whole = padded.slice(0, shiftedPoint).replace(/^0+(?=\d)/, '');
  const decimals = padded.slice(shiftedPoint).replace(/0+$/, '');
  const plain = decimals === '' ? whole : `${whole}.${decimals}`;
  return /^[0.]+$/.test(plain) ? '0' : `${sign}${plain}`;
}

/** Type names of the REST schema that differ from their GoogleSQL name. */
const LEGACY_TYPE_NAMES: Readonly<Record<string, string>> = { INTEGER: 'INT64', FLOAT: 'FLOAT64', BOOLEAN: 'BOOL', RECORD: 'STRUCT' };

/** Returns the GoogleSQL name of a schema field's type as `CAST` accepts it, without precision or length parameters. */
export function googleSqlType(field: TableField): string {
  const type = LEGACY_TYPE_NAMES[String(field.type)] ?? String(field.type);
  let name = type;
  if (type === 'STRUCT') {
    const members = (field.fields ?? []).map((member) => `${bigQueryDialect.quoteIdentifier(String(member.name))} ${googleSqlType(member)}`);
    name = `STRUCT<${members.join(', ')}>`;
  } else if (type === 'RANGE') {
    name = `RANGE<${field.rangeElementType?.type ?? 'UNKNOWN'}>`;
  }
  return field.mode === 'REPEATED' ? `ARRAY<${name}>` : name;
}
