import { createHash } from 'node:crypto';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { createLogger, type Logger } from '../../core/logger.js';
import { actionUid, fieldEntity, fieldUid, principalEntity, principalUid } from './cedarEntities.js';
import type { CompiledPolicies } from './compilePolicies.js';
import { DecisionCache } from './decisionCache.js';
import type { Action, Decider, FieldResource, Principal } from './types.js';

/** Anything that holds the current compiled policies, such as a `PolicyStore`. */
export interface PolicySource {
  readonly current: CompiledPolicies;
}

export interface CedarDeciderOptions {
  logger?: Logger;
  /** Decisions kept in the LRU cache; default 10 000. */
  cacheSize?: number;
}

/**
 * Decides with Cedar whether a principal may read, unmask or filter by a field. Default deny: only
 * an explicit permit that no forbid overrides allows. When Cedar cannot evaluate a request, or any
 * policy errors while evaluating it, the decision is deny and a warning is logged without the
 * principal's attributes.
 *
 * Decisions are cached per (policy version, principal id and attributes, action, field).
 */
export class CedarDecider implements Decider {
  private readonly cache: DecisionCache;
  private readonly logger: Logger;

  constructor(
    private readonly source: PolicySource,
    options: CedarDeciderOptions = {},
  ) {
    this.cache = new DecisionCache(options.cacheSize ?? 10_000);
    this.logger = (options.logger ?? createLogger()).child({ module: 'cedar-decider' });
  }

  get version(): string {
    return this.source.current.version;
  }

  decide(principal: Principal, action: Action, resource: FieldResource): boolean {
    const policies = this.source.current;
    const key = cacheKey(policies.version, principal, action, resource);
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;

    const allowed = this.evaluate(policies, principal, action, resource);
    this.cache.set(key, allowed);
    return allowed;
  }

  private evaluate(policies: CompiledPolicies, principal: Principal, action: Action, resource: FieldResource): boolean {
    const answer = cedar.statefulIsAuthorized({
      principal: principalUid(principal),
      action: actionUid(action),
      resource: fieldUid(resource),
      context: {},
      preparsedPolicySetId: policies.policySetId,
      preparsedSchemaName: policies.schemaName,
      validateRequest: true,
      entities: [principalEntity(principal, policies.shapes.principal), fieldEntity(resource, policies.shapes.field)],
    });

    if (answer.type === 'failure') {
      this.warnDenied(policies, action, resource, { reason: 'request rejected by the Cedar engine' });
      return false;
    }
    const { decision, diagnostics } = answer.response;
    if (diagnostics.errors.length > 0) {
      const erroredPolicies = diagnostics.errors.map((entry) => entry.policyId);
      this.warnDenied(policies, action, resource, { reason: 'policy evaluation error', erroredPolicies });
      return false;
    }
    return decision === 'allow';
  }

  /** Cedar's messages quote entity ids and attribute values, which come from claims, so only policy ids are logged. */
  private warnDenied(policies: CompiledPolicies, action: Action, resource: FieldResource, details: Record<string, unknown>): void {
    this.logger.warn({ version: policies.version, action, coordinate: resource.coordinate, ...details }, 'policy evaluation failed, denying');
  }
}

function cacheKey(version: string, principal: Principal, action: Action, resource: FieldResource): string {
  const principalHash = hashOf(canonicalJson({ id: principal.id, attributes: principal.attributes }));
  const resourcePart = `${resource.coordinate}|${[...resource.tags].sort().join(',')}|${resource.subgraph ?? ''}`;
  return `${version}|${principalHash}|${action}|${resourcePart}`;
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** JSON with object keys sorted at every level, so equal attribute sets hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
