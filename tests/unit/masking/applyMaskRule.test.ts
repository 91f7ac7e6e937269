import { createHash, createHmac } from 'node:crypto';

import { applyMaskRule } from '../../../gateway/masking/index.js';
import type { FieldType, ValueKind } from '../../../gateway/masking/index.js';

const sha = (text: string): string => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
const hmac = (key: string, text: string): string => createHmac('sha256', key).update(Buffer.from(text, 'utf8')).digest('hex');

function scalar(kind: ValueKind, namedType = 'String', nonNull = false): FieldType {
  return { namedType, kind, nonNull };
}
function listOf(item: FieldType): FieldType {
  return { namedType: item.namedType, kind: item.kind, nonNull: false, item };
}

const text = scalar('string');

describe('SHA256', () => {
  it('hashes text as lowercase hex', () => {
    expect(applyMaskRule('SHA256', 'abc', text)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('hashes the empty string', () => {
    expect(applyMaskRule('SHA256', '', text)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
  it('hashes UTF-8 bytes of non-ASCII text', () => {
    expect(applyMaskRule('SHA256', 'Zoë', text)).toBe(sha('Zoë'));
  });
  it('hashes an ID given as a number', () => {
    expect(applyMaskRule('SHA256', 0, scalar('string', 'ID'))).toBe(sha('0'));
  });
  it('keeps null', () => {
    expect(applyMaskRule('SHA256', null, text)).toBeNull();
  });
  it('masks each list item and keeps null items', () => {
    expect(applyMaskRule('SHA256', ['a', null, ''], listOf(text))).toEqual([sha('a'), null, sha('')]);
  });
});

describe('KEYED_SHA256', () => {
  it('returns HMAC-SHA256 under the secret', () => {
    expect(applyMaskRule('KEYED_SHA256', 'ada@example.com', text, { hmacSecret: 'k1' })).toBe(hmac('k1', 'ada@example.com'));
  });
  it('differs from the unkeyed hash', () => {
    expect(applyMaskRule('KEYED_SHA256', 'abc', text, { hmacSecret: 'k1' })).not.toBe(sha('abc'));
  });
  it('rejects a missing secret', () => {
    expect(() => applyMaskRule('KEYED_SHA256', 'abc', text, {})).toThrow(
      'Mask rule KEYED_SHA256 needs the option hmacSecret, and none was given.',
    );
  });
});

describe('NULLIFY', () => {
  it.each([['text', 'abc'], ['zero', 0], ['false', false], ['empty', '']])('returns null for %s', (_name, value) => {
    expect(applyMaskRule('NULLIFY', value, text)).toBeNull();
  });
  it('returns null for a list', () => {
    expect(applyMaskRule('NULLIFY', ['a'], listOf(text))).toBeNull();
  });
});

describe('DEFAULT_VALUE', () => {
  const cases: Array<[ValueKind, string, unknown, unknown]> = [
    ['string', 'String', 'secret', ''],
    ['int', 'Int', 42, 0],
    ['int', 'Int', 0, 0],
    ['float', 'Float', 3.5, 0],
    ['boolean', 'Boolean', true, false],
    ['boolean', 'Boolean', false, false],
    ['decimalString', 'BigInt', '9007199254740993', '0'],
    ['decimalString', 'Decimal', '12.50', '0'],
    ['date', 'Date', '2001-07-15', '1970-01-01'],
    ['dateTime', 'DateTime', '2001-07-15T10:00:00Z', '1970-01-01T00:00:00Z'],
    ['localDateTime', 'LocalDateTime', '2001-07-15T10:00:00', '1970-01-01T00:00:00'],
  ];
  it.each(cases)('returns the zero of %s (%s)', (kind, namedType, value, zero) => {
    expect(applyMaskRule('DEFAULT_VALUE', value, scalar(kind, namedType))).toStrictEqual(zero);
  });
  it('returns an empty list for a list', () => {
    expect(applyMaskRule('DEFAULT_VALUE', [1, 2], listOf(scalar('int', 'Int')))).toEqual([]);
  });
  it('keeps null', () => {
    expect(applyMaskRule('DEFAULT_VALUE', null, scalar('int', 'Int'))).toBeNull();
  });
});

describe('LAST_FOUR_CHARACTERS', () => {
  it('keeps the last four characters', () => {
    expect(applyMaskRule('LAST_FOUR_CHARACTERS', '4111111111111234', text)).toBe('XXXXX1234');
  });
  it('masks five characters', () => {
    expect(applyMaskRule('LAST_FOUR_CHARACTERS', 'abcde', text)).toBe('XXXXXbcde');
  });
  it('hashes exactly four characters', () => {
    expect(applyMaskRule('LAST_FOUR_CHARACTERS', 'abcd', text)).toBe(sha('abcd'));
  });
  it('hashes the empty string', () => {
    expect(applyMaskRule('LAST_FOUR_CHARACTERS', '', text)).toBe(sha(''));
  });
  it('counts code points, not UTF-16 units', () => {
    expect(applyMaskRule('LAST_FOUR_CHARACTERS', 'a😀😀😀😀', text)).toBe('XXXXX😀😀😀😀');
  });
});

describe('FIRST_FOUR_CHARACTERS', () => {
  it('keeps the first four characters', () => {
    expect(applyMaskRule('FIRST_FOUR_CHARACTERS', 'abcdefg', text)).toBe('abcdXXXXX');
  });
  it('hashes exactly four characters', () => {
    expect(applyMaskRule('FIRST_FOUR_CHARACTERS', 'abcd', text)).toBe(sha('abcd'));
  });
  it('hashes three characters', () => {
    expect(applyMaskRule('FIRST_FOUR_CHARACTERS', 'abc', text)).toBe(sha('abc'));
  });
});

describe('EMAIL_MASK', () => {
  it('replaces the local part', () => {
    expect(applyMaskRule('EMAIL_MASK', 'cloudysanfrancisco@gmail.com', text)).toBe('XXXXX@gmail.com');
  });
  it('keeps a subdomain', () => {
    expect(applyMaskRule('EMAIL_MASK', 'a.b+c@mail.example.org', text)).toBe('XXXXX@mail.example.org');
  });
  it.each(['ada@', '@example.com', 'ada example.com', 'ada@exa mple.com', ''])('hashes invalid address %p', (value) => {
    expect(applyMaskRule('EMAIL_MASK', value, text)).toBe(sha(value));
  });
});

describe('DATE_YEAR_MASK', () => {
  const date = scalar('date', 'Date');
  const dateTime = scalar('dateTime', 'DateTime');
  const local = scalar('localDateTime', 'LocalDateTime');

  it('truncates a date', () => {
    expect(applyMaskRule('DATE_YEAR_MASK', '2001-07-15', date)).toBe('2001-01-01');
  });
  it('truncates the last day of a year', () => {
    expect(applyMaskRule('DATE_YEAR_MASK', '2000-12-31', date)).toBe('2000-01-01');
  });
  it('truncates a UTC timestamp', () => {
    expect(applyMaskRule('DATE_YEAR_MASK', '2001-07-15T10:00:00Z', dateTime)).toBe('2001-01-01T00:00:00Z');
  });
  it('keeps the year of the last second of a year', () => {
    expect(applyMaskRule('DATE_YEAR_MASK', '2000-12-31T23:59:59Z', dateTime)).toBe('2000-01-01T00:00:00Z');
  });
  it('takes the UTC year of an offset timestamp', () => {
    expect(applyMaskRule('DATE_YEAR_MASK', '2001-01-01T02:00:00+05:00', dateTime)).toBe('2000-01-01T00:00:00Z');
  });
  it('truncates a local date-time', () => {
    expect(applyMaskRule('DATE_YEAR_MASK', '2001-07-15T10:00:00', local)).toBe('2001-01-01T00:00:00');
  });
  it('returns the default for a malformed timestamp', () => {
    expect(applyMaskRule('DATE_YEAR_MASK', 'yesterday', dateTime)).toBe('1970-01-01T00:00:00Z');
  });
  it('masks each item of a list', () => {
    expect(applyMaskRule('DATE_YEAR_MASK', ['1999-03-04', null], listOf(date))).toEqual(['1999-01-01', null]);
  });
});
