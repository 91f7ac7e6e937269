import { throttledError } from '../../../gateway/budget/index.js';

describe('throttledError', () => {
  it('names the cost, the points left and the wait', () => {
    const status = { allowed: false, available: 20, maximum: 100, restoreRate: 10, retryAfterSeconds: 1 };

    const error = throttledError(status, 30);

    expect(error.message).toBe('Operation cost 30 exceeds the 20 points left in the cost budget; retry after 1 s.');
    expect(error.extensions).toEqual({
      cost: 30,
      maximum: 100,
      available: 20,
      restoreRate: 10,
      retryAfterSeconds: 1,
      code: 'THROTTLED',
      http: { status: 429 },
    });
  });

  it('says a cost above the maximum never fits', () => {
    const status = { allowed: false, available: 100, maximum: 100, restoreRate: 10, retryAfterSeconds: null };

    const error = throttledError(status, 150);

    expect(error.message).toBe(
      'Operation cost 150 is above the cost budget maximum of 100, so it cannot run within the budget; reduce the page sizes it requests.',
    );
  });

  it('shows fractional points to one decimal', () => {
    const status = { allowed: false, available: 2.345, maximum: 100, restoreRate: 10, retryAfterSeconds: 1 };

    expect(throttledError(status, 10).message).toContain('the 2.3 points left');
  });
});
