/** Identity of the caller of a request; `callerKey` prefers the subject to the address. */
export interface CallerIdentity {
  /** `sub` claim of the verified JWT. */
  subject?: string;
  /** Client address of the connection, for anonymous callers. */
  address?: string;
}

/**
 * Returns the key of a caller's budget: the JWT subject when the caller is authenticated, else the
 * client address. The prefixes keep a subject that looks like an address apart from that address.
 * Callers with neither share one `anonymous` bucket, so an unidentified caller gets no budget of
 * its own.
 */
export function callerKey(identity: CallerIdentity): string {
  if (identity.subject) return `sub:${identity.subject}`;
  if (identity.address) return `addr:${identity.address}`;
  return 'anonymous';
}
