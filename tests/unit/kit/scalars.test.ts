import { Kind } from 'graphql';
import {
  BigIntScalar,
  parseBigInt,
  parseDate,
  parseDateTime,
  parseDecimal,
  parseJsonText,
  parseLocalDateTime,
} from '../../../subgraphs/kit/scalars.js';
import { graphQLErrorOf } from './tables.js';

describe('parseBigInt', () => {
  it('keeps a decimal string above 2^53 exactly', () => {
    expect(parseBigInt('9007199254740993')).toBe('9007199254740993');
  });

  it('keeps a bigint above 2^63 exactly', () => {
    expect(parseBigInt(2n ** 64n + 1n)).toBe('18446744073709551617');
  });

  it('accepts a safe JavaScript integer', () => {
    expect(parseBigInt(-42)).toBe('-42');
  });

  it('normalises leading zeros', () => {
    expect(parseBigInt('007')).toBe('7');
  });

  it('rejects a number above 2^53 that was already rounded', () => {
    const error = graphQLErrorOf(() => parseBigInt(2 ** 53 + 2));

    expect(error.message).toBe('BigInt cannot represent 9007199254740994: expected an integer as a decimal string, or a JSON integer within ±2^53.');
    expect(error.extensions.code).toBe('INVALID_VALUE');
  });

  it('rejects a fraction', () => {
    expect(graphQLErrorOf(() => parseBigInt('1.5')).extensions.code).toBe('INVALID_VALUE');
  });

  it('parses an integer literal above 2^53 without rounding', () => {
    expect(BigIntScalar.parseLiteral({ kind: Kind.INT, value: '9007199254740993' })).toBe('9007199254740993');
  });
});

describe('parseDecimal', () => {
  it('keeps the text of a decimal string', () => {
    expect(parseDecimal('120.50')).toBe('120.50');
  });

  it('rejects an exponent form', () => {
    const error = graphQLErrorOf(() => parseDecimal('1e3'));

    expect(error.message).toBe('Decimal cannot represent "1e3": expected a decimal number as a string such as "12.75".');
  });
});

describe('parseDate', () => {
  it('accepts 29 February of a leap year', () => {
    expect(parseDate('2000-02-29')).toBe('2000-02-29');
  });

  it('rejects 29 February of a common year', () => {
    const error = graphQLErrorOf(() => parseDate('2001-02-29'));

    expect(error.message).toBe('Date cannot represent "2001-02-29": expected a calendar date YYYY-MM-DD.');
    expect(error.extensions.code).toBe('INVALID_VALUE');
  });

  it('rejects month 13', () => {
    expect(graphQLErrorOf(() => parseDate('2001-13-01')).extensions.code).toBe('INVALID_VALUE');
  });

  it('rejects a date with a time', () => {
    expect(graphQLErrorOf(() => parseDate('2001-01-01T00:00:00')).extensions.code).toBe('INVALID_VALUE');
  });
});

describe('parseLocalDateTime', () => {
  it('turns DuckDB timestamp text into ISO 8601 with T', () => {
    expect(parseLocalDateTime('2001-01-01 05:00:00')).toBe('2001-01-01T05:00:00');
  });

  it('keeps microseconds', () => {
    expect(parseLocalDateTime('2001-03-01 12:00:00.123456')).toBe('2001-03-01T12:00:00.123456');
  });

  it('keeps ISO 8601 input unchanged', () => {
    expect(parseLocalDateTime('2001-01-01T05:00:00')).toBe('2001-01-01T05:00:00');
  });

  it('rejects a value with an offset', () => {
    const error = graphQLErrorOf(() => parseLocalDateTime('2001-01-01T05:00:00Z'));

    expect(error.message).toBe('LocalDateTime cannot represent "2001-01-01T05:00:00Z": expected a date and time without offset, YYYY-MM-DDTHH:MM:SS.');
  });

  it('rejects 31 April', () => {
    expect(graphQLErrorOf(() => parseLocalDateTime('2001-04-31 05:00:00')).extensions.code).toBe('INVALID_VALUE');
  });
});

describe('parseDateTime', () => {
  it('keeps a UTC instant with Z', () => {
    expect(parseDateTime('2001-01-01T05:00:00Z')).toBe('2001-01-01T05:00:00Z');
  });

  it('normalises a positive offset to Z keeping microseconds', () => {
    expect(parseDateTime('2001-01-01T05:00:00.123456+02:00')).toBe('2001-01-01T03:00:00.123456Z');
  });

  it('normalises DuckDB TIMESTAMPTZ text with an hour-only offset', () => {
    expect(parseDateTime('2001-01-01 05:00:00+05')).toBe('2001-01-01T00:00:00Z');
  });

  it('normalises a negative offset without a colon across midnight', () => {
    expect(parseDateTime('2000-12-31T23:30:00.5-0130')).toBe('2001-01-01T01:00:00.5Z');
  });

  it('normalises a half-hour offset back across a year boundary', () => {
    expect(parseDateTime('2001-01-01T02:00:00+05:30')).toBe('2000-12-31T20:30:00Z');
  });

  it('rejects a value without an offset', () => {
    const error = graphQLErrorOf(() => parseDateTime('2001-01-01T05:00:00'));

    expect(error.message).toBe(
      'DateTime cannot represent "2001-01-01T05:00:00": expected an ISO 8601 date and time with an offset or Z, such as 2001-01-01T05:00:00Z.',
    );
  });

  it('rejects 30 February', () => {
    expect(graphQLErrorOf(() => parseDateTime('2001-02-30T05:00:00Z')).extensions.code).toBe('INVALID_VALUE');
  });
});

describe('JSON', () => {
  it('keeps the digits of an integer beyond 2^63', () => {
    const text = '{"n": 9223372036854775807, "x": 0.1}';

    expect(parseJsonText(text)).toBe(text);
  });

  it('writes a structured variable as JSON text', () => {
    expect(parseJsonText({ a: [1, 'b'] })).toBe('{"a":[1,"b"]}');
  });

  it('rejects text that is not JSON', () => {
    expect(() => parseJsonText('{"a": ')).toThrow('JSON cannot represent "{\\"a\\": ": expected valid JSON text.');
  });
});

describe('nanosecond fractions', () => {
  it('keeps nine fraction digits of an instant', () => {
    expect(parseDateTime('2024-02-29 23:59:59.123456789+01:00')).toBe('2024-02-29T22:59:59.123456789Z');
  });

  it('keeps nine fraction digits of a wall-clock time', () => {
    expect(parseLocalDateTime('2024-02-29 23:59:59.123456789')).toBe('2024-02-29T23:59:59.123456789');
  });
});
