import { toGraphQLValue, toInt } from '../../../subgraphs/kit/values.js';
import { graphQLErrorOf } from './tables.js';

describe('toInt', () => {
  it('accepts 2^31 - 1', () => {
    expect(toInt(2147483647, 'Flight.delay')).toBe(2147483647);
  });

  it('accepts -2^31', () => {
    expect(toInt(-2147483648, 'Flight.delay')).toBe(-2147483648);
  });

  it('accepts 2^31 - 1 as text', () => {
    expect(toInt('2147483647', 'Flight.delay')).toBe(2147483647);
  });

  it('rejects 2^31 with VALUE_OUT_OF_RANGE naming the coordinate', () => {
    const error = graphQLErrorOf(() => toInt(2147483648, 'Flight.delay'));

    expect(error.message).toBe('Flight.delay contains 2147483648, which does not fit GraphQL Int (32-bit signed); declare the field BigInt.');
    expect(error.extensions.code).toBe('VALUE_OUT_OF_RANGE');
    expect(error.extensions.coordinate).toBe('Flight.delay');
  });

  it('rejects -2^31 - 1', () => {
    const error = graphQLErrorOf(() => toInt(-2147483649, 'Flight.delay'));

    expect(error.message).toBe('Flight.delay contains -2147483649, which does not fit GraphQL Int (32-bit signed); declare the field BigInt.');
  });

  it('rejects 2^31 given as HUGEINT text', () => {
    expect(graphQLErrorOf(() => toInt('2147483648', 'Flight count')).extensions.code).toBe('VALUE_OUT_OF_RANGE');
  });

  it('rejects a fraction', () => {
    expect(graphQLErrorOf(() => toInt(1.5, 'Flight.delay')).extensions.code).toBe('VALUE_OUT_OF_RANGE');
  });
});

describe('toGraphQLValue', () => {
  it('keeps null for every scalar', () => {
    expect(toGraphQLValue(null, 'BigInt', 'Flight.distance')).toBeNull();
  });

  it('keeps BIGINT text above 2^53 exactly', () => {
    expect(toGraphQLValue('9007199254740993', 'BigInt', 'Flight.distance')).toBe('9007199254740993');
  });

  it('turns TIMESTAMP text into a LocalDateTime', () => {
    expect(toGraphQLValue('2001-01-01 05:00:00', 'LocalDateTime', 'Flight.departedAt')).toBe('2001-01-01T05:00:00');
  });

  it('turns an ID number into text', () => {
    expect(toGraphQLValue(7, 'ID', 'Flight.id')).toBe('7');
  });

  it('rejects an Int column value above 2^31 - 1', () => {
    expect(graphQLErrorOf(() => toGraphQLValue(3000000000, 'Int', 'Flight.delay')).extensions.code).toBe('VALUE_OUT_OF_RANGE');
  });
});
