import { backoffDelayMs, parseRetryAfterMs } from '../../../subgraphs/inference/clients/backoff.js';

const OPTIONS = { retryBaseMs: 100, retryMaxDelayMs: 1000 };

describe('backoffDelayMs', () => {
  it('doubles the base with each retry', () => {
    const noJitter = () => 0;

    expect([1, 2, 3].map((retry) => backoffDelayMs(retry, OPTIONS, noJitter))).toEqual([100, 200, 400]);
  });

  it('adds up to as much again of jitter', () => {
    expect(backoffDelayMs(2, OPTIONS, () => 0.5)).toBe(300);
    expect(backoffDelayMs(2, OPTIONS, () => 0.999)).toBe(400);
  });

  it('caps the delay at retryMaxDelayMs', () => {
    expect(backoffDelayMs(5, OPTIONS, () => 0)).toBe(1000);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2001-09-09T01:46:40Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
  });

  it('reads an IMF-fixdate', () => {
    expect(parseRetryAfterMs('Sun, 09 Sep 2001 01:47:10 GMT', now)).toBe(30_000);
  });

  it('reads a past date as no delay', () => {
    expect(parseRetryAfterMs('Sun, 09 Sep 2001 01:00:00 GMT', now)).toBe(0);
  });

  it.each([
    ['absent', null],
    ['negative', '-5'],
    ['fractional', '1.5'],
    ['not a date', 'soon'],
    ['an ISO date', '2001-09-09T01:47:10Z'],
  ])('ignores a value that is %s', (_, value) => {
    expect(parseRetryAfterMs(value, now)).toBeUndefined();
  });
});
