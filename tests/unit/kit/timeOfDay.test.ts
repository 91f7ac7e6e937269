import { parseDateTime, parseLocalDateTime } from '../../../subgraphs/kit/scalars.js';
import { graphQLErrorOf } from './tables.js';

describe('parseLocalDateTime time of day', () => {
  it('rejects hour 25', () => {
    expect(graphQLErrorOf(() => parseLocalDateTime('2001-01-01 25:00:00')).extensions.code).toBe('INVALID_VALUE');
  });

  it('rejects minute 61', () => {
    expect(graphQLErrorOf(() => parseLocalDateTime('2001-01-01 05:61:00')).extensions.code).toBe('INVALID_VALUE');
  });
});

describe('parseDateTime time of day', () => {
  it('rejects hour 25 with INVALID_VALUE', () => {
    expect(graphQLErrorOf(() => parseDateTime('2001-01-01T25:00:00Z')).extensions.code).toBe('INVALID_VALUE');
  });
});
