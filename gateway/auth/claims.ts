import { ANONYMOUS_PRINCIPAL, type Principal } from '../policy/types.js';

/**
 * The default mapping from principal attribute to claim path, for tokens whose claims use the
 * attribute names of the Cedar schema.
 */
export const DEFAULT_CLAIMS_TO_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({
  roles: 'roles',
  department: 'department',
  clearance: 'clearance',
  region: 'region',
  purpose: 'purpose',
  organization: 'organization',
});

/**
 * Builds the principal of a verified claim set: its id is the `sub` claim, and each attribute of
 * `claimsToAttributes` takes the claim at its path (dots separate nested claims, as in
 * `realm_access.roles`). Claims that are absent leave the attribute out; `null` claims mean anonymous.
 */
export function claimsToPrincipal(
  claims: Record<string, unknown> | null,
  claimsToAttributes: Readonly<Record<string, string>> = DEFAULT_CLAIMS_TO_ATTRIBUTES,
): Principal {
  if (claims === null) return ANONYMOUS_PRINCIPAL;

  const attributes: Record<string, unknown> = {};
  for (const [attribute, claimPath] of Object.entries(claimsToAttributes)) {
    const value = claimAt(claims, claimPath);
    if (value !== undefined) attributes[attribute] = value;
  }
  return { id: String(claims.sub), attributes };
}

function claimAt(claims: Record<string, unknown>, claimPath: string): unknown {
  let current: unknown = claims;
  for (const segment of claimPath.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
