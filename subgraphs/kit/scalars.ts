import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { errors } from '../../core/errors/index.js';

/**
 * Scalars that carry values exactly. DuckDB returns BIGINT, HUGEINT and DECIMAL as strings in its
 * JSON row form and timestamps as wall-clock text, and these scalars keep that text instead of
 * going through a JavaScript number or Date, so nothing is rounded or shifted by the server's TZ.
 */
export const SCALARS_SDL = `
"An integer of any size, serialised as a decimal string (for example \\"9007199254740993\\"), so 64-bit values are never rounded."
scalar BigInt
"An exact decimal number, serialised as a string (for example \\"12.75\\")."
scalar Decimal
"A calendar date, ISO 8601 \`YYYY-MM-DD\`."
scalar Date
"An instant, ISO 8601 in UTC with a \`Z\` suffix (\`2001-01-01T05:00:00Z\`)."
scalar DateTime
"A wall-clock date and time without a time zone, ISO 8601 without an offset (\`2001-01-01T05:00:00\`), exactly as stored in the source file."
scalar LocalDateTime
"A semi-structured value (JSON, VARIANT) as its JSON text, so that numbers of any size keep every digit through the gateway. Read integers beyond 2^53 with a lossless JSON parser."
scalar JSON
`;

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}(:?\d{2})?)$/;

function invalid(scalar: string, value: unknown, expected: string): Error {
  return errors.INVALID_VALUE.error(`${scalar} cannot represent ${JSON.stringify(value)}: expected ${expected}.`);
}

function isValidCalendarDate(year: string, month: string, day: string): boolean {
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.getUTCFullYear() === Number(year) && date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
}

function isValidTimeOfDay(hour: string, minute: string, second: string): boolean {
  return Number(hour) <= 23 && Number(minute) <= 59 && Number(second) <= 59;
}

function literalText(node: ValueNode): string | undefined {
  if (node.kind === Kind.STRING || node.kind === Kind.INT || node.kind === Kind.FLOAT) return node.value;
  return undefined;
}

function textScalar(name: string, description: string, parse: (value: unknown) => string): GraphQLScalarType {
  return new GraphQLScalarType({
    name,
    description,
    serialize: parse,
    parseValue: parse,
    parseLiteral: (node) => parse(literalText(node) ?? `a ${node.kind} literal`),
  });
}

/** Parses an integer given as a string, a safe JS integer or a bigint into its decimal text. */
export function parseBigInt(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && INTEGER.test(value)) return BigInt(value).toString();
  throw invalid('BigInt', value, 'an integer as a decimal string, or a JSON integer within ±2^53');
}

export function parseDecimal(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && DECIMAL.test(value)) return value;
  throw invalid('Decimal', value, 'a decimal number as a string such as "12.75"');
}

export function parseDate(value: unknown): string {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  if (match && isValidCalendarDate(match[1], match[2], match[3])) return value as string;
  throw invalid('Date', value, 'a calendar date YYYY-MM-DD');
}

/** Normalises `YYYY-MM-DD HH:MM:SS[.ffffff]` (DuckDB's TIMESTAMP text) to ISO 8601 with a `T`. */
export function parseLocalDateTime(value: unknown): string {
  const match = typeof value === 'string' ? LOCAL_DATE_TIME.exec(value) : null;
  const valid = match && isValidCalendarDate(match[1], match[2], match[3]) && isValidTimeOfDay(match[4], match[5], match[6]);
  if (valid) return (value as string).replace(' ', 'T');
  throw invalid('LocalDateTime', value, 'a date and time without offset, YYYY-MM-DDTHH:MM:SS');
}

/**
 * Normalises an instant with an offset (DuckDB's TIMESTAMPTZ text, or ISO 8601 input) to UTC with
 * a `Z`, keeping the fraction (up to nanoseconds, as Snowflake sends) that a JavaScript Date would drop.
 */
export function parseDateTime(value: unknown): string {
  const match = typeof value === 'string' ? DATE_TIME.exec(value) : null;
  if (!match || !isValidCalendarDate(match[1], match[2], match[3]) || !isValidTimeOfDay(match[4], match[5], match[6])) {
    throw invalid('DateTime', value, 'an ISO 8601 date and time with an offset or Z, such as 2001-01-01T05:00:00Z');
  }
  const fraction = match[7] ?? '';
  const offset = match[8] === 'Z' ? '+00:00' : normaliseOffset(match[8]);
  const wholeSeconds = Date.parse(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}${offset}`);
  if (Number.isNaN(wholeSeconds)) throw invalid('DateTime', value, 'an offset between -23:59 and +23:59');
  return `${new Date(wholeSeconds).toISOString().slice(0, 19)}${fraction}Z`;
}

function normaliseOffset(offset: string): string {
  const digits = offset.replace(':', '');
  return digits.length === 3 ? `${digits}:00` : `${digits.slice(0, 3)}:${digits.slice(3)}`;
}

/**
 * Checks that a value is JSON text and returns it unchanged, so numbers keep the digits the backend
 * sent. A structured input value (a variable given as an object) is written as JSON text.
 */
export function parseJsonText(value: unknown): string {
  if (typeof value !== 'string') {
    if (value === undefined || typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol') {
      throw invalid('JSON', String(value), 'JSON text or a JSON value');
    }
    return JSON.stringify(value);
  }
  try {
    JSON.parse(value);
  } catch {
    throw invalid('JSON', value.length > 40 ? `${value.slice(0, 40)}…` : value, 'valid JSON text');
  }
  return value;
}

export const BigIntScalar = textScalar('BigInt', 'An integer of any size as a decimal string.', parseBigInt);
export const DecimalScalar = textScalar('Decimal', 'An exact decimal number as a string.', parseDecimal);
export const DateScalar = textScalar('Date', 'A calendar date, YYYY-MM-DD.', parseDate);
export const DateTimeScalar = textScalar('DateTime', 'An instant in UTC, ISO 8601 with Z.', parseDateTime);
export const LocalDateTimeScalar = textScalar('LocalDateTime', 'A wall-clock date and time, ISO 8601 without offset.', parseLocalDateTime);

export const JsonScalar = textScalar('JSON', 'A JSON value as its JSON text.', parseJsonText);

export const scalarResolvers = {
  BigInt: BigIntScalar,
  Decimal: DecimalScalar,
  Date: DateScalar,
  DateTime: DateTimeScalar,
  LocalDateTime: LocalDateTimeScalar,
  JSON: JsonScalar,
};
