/** The delays between the attempts of a retried request, as `inference.*.retryBaseMs` and `retryMaxDelayMs` configure them. */
export interface BackoffOptions {
  /** Delay before the first retry, in milliseconds. */
  readonly retryBaseMs: number;
  /** Maximum delay before one retry, in milliseconds. */
  readonly retryMaxDelayMs: number;
}

/**
 * Computes the delay before retry number `retry` (1 for the first): `retryBaseMs × 2^(retry − 1)`
 * plus a random jitter of up to as much again, capped at `retryMaxDelayMs`. The jitter spreads
 * out the retries of replicas that failed at the same moment, so they do not hit a recovering
 * server together.
 *
 * @param random returns a number in [0, 1); tests pass a fixed one
 */
export function backoffDelayMs(retry: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponential = options.retryBaseMs * 2 ** (retry - 1);
  return Math.min(options.retryMaxDelayMs, Math.round(exponential * (1 + random())));
}

/** The IMF-fixdate form of an HTTP date, for example `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * Reads a `Retry-After` header (RFC 9110, section 10.2.3) as a delay in milliseconds from `now`:
 * either delay-seconds or an IMF-fixdate, a date in the past being a delay of 0.
 *
 * @returns undefined when the header is absent or in neither form, so that the caller falls back
 *   to its own backoff. The obsolete RFC 850 and asctime date forms are not read.
 */
export function parseRetryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!IMF_FIXDATE.test(text)) return undefined;
  return Math.max(0, Date.parse(text) - now);
}
