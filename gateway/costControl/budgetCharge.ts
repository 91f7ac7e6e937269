import { GraphQLError } from 'graphql';
import { HeaderMap } from '@apollo/server';

import { callerKey, throttledError, type BudgetStatus, type CostBudget } from '../budget/index.js';
import type { RequestContext } from '../../core/http/service.js';

/** The request context as the governance extension extends it with the authenticated principal. */
type PrincipalContext = RequestContext & { readonly principal?: { readonly id?: unknown } };

/**
 * Returns the key of the caller's budget: the principal's id when a caller authenticated, else the
 * client address of the connection.
 */
export function budgetKeyOf(context: RequestContext): string {
  const id = (context as PrincipalContext).principal?.id;
  const subject = typeof id === 'string' && id !== 'anonymous' && id !== '' ? id : undefined;
  return callerKey({ subject, address: context.request?.socket?.remoteAddress });
}

/** Charges an operation's estimated cost to the caller's budget. */
export function chargeBudget(budget: CostBudget, context: RequestContext, estimated: number): Promise<BudgetStatus> {
  return budget.charge(budgetKeyOf(context), estimated);
}

/**
 * Creates the THROTTLED error (HTTP 429) of a rejected charge, with a `Retry-After` header when
 * waiting would let the operation through.
 */
export function throttledResponseError(status: BudgetStatus, estimated: number): GraphQLError {
  const error = throttledError(status, estimated);
  if (status.retryAfterSeconds === null) return error;
  const headers = new HeaderMap([['retry-after', String(status.retryAfterSeconds)]]);
  return new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 429, headers } } });
}
