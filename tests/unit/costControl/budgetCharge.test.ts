import type { IncomingMessage } from 'node:http';
import { HeaderMap } from '@apollo/server';

import type { RequestContext } from '../../../core/http/service.js';
import { createLogger } from '../../../core/logger.js';
import { CostBudget, MemoryBudgetStore, type BudgetStatus } from '../../../gateway/budget/index.js';
import { budgetKeyOf, chargeBudget, throttledResponseError } from '../../../gateway/costControl/budgetCharge.js';
import { ANONYMOUS_PRINCIPAL } from '../../../gateway/policy/index.js';

const logger = createLogger({ level: 'silent' });

/** Builds a request context as `startService` does, with only the socket fields the budget key reads. */
function contextFrom(address: string | undefined, extra: Record<string, unknown> = {}): RequestContext {
  const request = { socket: { remoteAddress: address } } as unknown as IncomingMessage;
  return { requestId: 'request-1', logger, request, ...extra };
}

describe('budgetKeyOf', () => {
  it('keys an authenticated caller by principal id', () => {
    const context = contextFrom('203.0.113.7', { principal: { id: 'ada', attributes: {} } });
    expect(budgetKeyOf(context)).toBe('sub:ada');
  });

  it('keys a caller without a principal by client address', () => {
    expect(budgetKeyOf(contextFrom('203.0.113.7'))).toBe('addr:203.0.113.7');
  });

  it('keys the anonymous principal by client address', () => {
    const context = contextFrom('203.0.113.7', { principal: ANONYMOUS_PRINCIPAL });
    expect(budgetKeyOf(context)).toBe('addr:203.0.113.7');
  });

  it('keys an empty principal id by client address', () => {
    const context = contextFrom('203.0.113.7', { principal: { id: '', attributes: {} } });
    expect(budgetKeyOf(context)).toBe('addr:203.0.113.7');
  });

  it('keys a principal without an id by client address', () => {
    const context = contextFrom('203.0.113.7', { principal: { attributes: {} } });
    expect(budgetKeyOf(context)).toBe('addr:203.0.113.7');
  });

  it('keys a principal with a numeric id by client address', () => {
    const context = contextFrom('203.0.113.7', { principal: { id: 42, attributes: {} } });
    expect(budgetKeyOf(context)).toBe('addr:203.0.113.7');
  });

  it('keys an unidentified caller as anonymous', () => {
    expect(budgetKeyOf(contextFrom(undefined))).toBe('anonymous');
  });

  it('never writes "undefined" into a key', () => {
    const contexts = [
      contextFrom(undefined),
      contextFrom(undefined, { principal: { attributes: {} } }),
      contextFrom(undefined, { principal: ANONYMOUS_PRINCIPAL }),
      contextFrom('203.0.113.7', { principal: undefined }),
    ];
    for (const context of contexts) expect(budgetKeyOf(context)).not.toContain('undefined');
  });
});

describe('chargeBudget', () => {
  function budgetAt(now: number): CostBudget {
    return new CostBudget({ store: new MemoryBudgetStore(), maximum: 100, restoreRate: 10, clock: () => now });
  }

  it('charges the principal and the address to separate buckets', async () => {
    const budget = budgetAt(1_000_000);
    const authenticated = contextFrom('203.0.113.7', { principal: { id: 'ada', attributes: {} } });
    const anonymous = contextFrom('203.0.113.7');

    const drained = await chargeBudget(budget, authenticated, 100);
    const other = await chargeBudget(budget, anonymous, 30);

    // ada spent all 100 points; the address still has its own full bucket: 100 − 30 = 70.
    expect(drained.available).toBe(0);
    expect(other.allowed).toBe(true);
    expect(other.available).toBe(70);
  });

  it('charges two requests of one principal to one bucket', async () => {
    const budget = budgetAt(1_000_000);
    const fromHome = contextFrom('203.0.113.7', { principal: { id: 'ada', attributes: {} } });
    const fromOffice = contextFrom('198.51.100.2', { principal: { id: 'ada', attributes: {} } });

    await chargeBudget(budget, fromHome, 60);
    const second = await chargeBudget(budget, fromOffice, 50);

    // 100 − 60 = 40 left, so 50 is rejected: 10 missing at 10 per second is 1 s.
    expect(second.allowed).toBe(false);
    expect(second.available).toBe(40);
    expect(second.retryAfterSeconds).toBe(1);
  });
});

describe('throttledResponseError', () => {
  const waiting: BudgetStatus = { allowed: false, available: 18, maximum: 100, restoreRate: 10, retryAfterSeconds: 3 };

  it('names the cost, the points left and the wait', () => {
    const error = throttledResponseError(waiting, 41);
    expect(error.message).toBe('Operation cost 41 exceeds the 18 points left in the cost budget; retry after 3 s.');
  });

  it('sets status 429 and Retry-After seconds', () => {
    const error = throttledResponseError(waiting, 41);
    const http = error.extensions.http as { status: number; headers: HeaderMap };
    expect(http.status).toBe(429);
    expect(http.headers.get('retry-after')).toBe('3');
  });

  it('keeps the code and the budget fields', () => {
    const error = throttledResponseError(waiting, 41);
    expect(error.extensions).toMatchObject({ code: 'THROTTLED', cost: 41, maximum: 100, available: 18, restoreRate: 10, retryAfterSeconds: 3 });
  });

  it('sends no Retry-After for a cost above the maximum', () => {
    const never: BudgetStatus = { allowed: false, available: 100, maximum: 100, restoreRate: 10, retryAfterSeconds: null };
    const error = throttledResponseError(never, 150);
    expect(error.message).toBe(
      'Operation cost 150 is above the cost budget maximum of 100, so it cannot run within the budget; reduce the page sizes it requests.',
    );
    expect(error.extensions.http).toEqual({ status: 429 });
  });
});
