import type { Principal } from '../policy/index.js';

/** Context key under which the governance extension stores the authenticated principal. */
export const PRINCIPAL_CONTEXT_KEY = 'principal';

/**
 * Reads the principal that the governance extension put in a request context.
 *
 * @throws Error when the context contains no principal, so that masking treats the caller as anonymous.
 */
export function principalFromContext(context: Record<string, unknown>): Principal {
  const principal = context[PRINCIPAL_CONTEXT_KEY];
  if (!isPrincipal(principal)) throw new Error('the request context contains no authenticated principal');
  return principal;
}

function isPrincipal(value: unknown): value is Principal {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Partial<Principal>;
  return typeof candidate.id === 'string' && typeof candidate.attributes === 'object' && candidate.attributes !== null;
}
