import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CedarDecider } from '../../../gateway/policy/cedarDecider.js';
import { compilePolicies, readPolicyFolder } from '../../../gateway/policy/index.js';
import { fieldResource } from '../../../gateway/policy/fieldResource.js';
import { PolicyStore } from '../../../gateway/policy/policyStore.js';
import type { Principal } from '../../../gateway/policy/types.js';
import { copyPolicies, memoryLogger, REPO_POLICIES } from './policyFolderFixture.js';

const analyst: Principal = { id: 'u1', attributes: { roles: ['analyst'], department: 'operations', clearance: 2 } };
const finance: Principal = { id: 'u2', attributes: { roles: ['finance'], clearance: 3 } };
const auditor: Principal = { id: 'u3', attributes: { roles: ['auditor'], clearance: 4, purpose: 'audit' } };
const partner: Principal = { id: 'u4', attributes: { roles: ['partner'], clearance: 5 } };
const anonymous: Principal = { id: 'anonymous', attributes: {} };

const costTotal = fieldResource('Birdstrike.costTotal', ['financial'], 'warehouse');
const operator = fieldResource('Birdstrike.operator', ['confidential']);
const email = fieldResource('Birdstrike.reporterEmail', ['pii']);
const financialPii = fieldResource('Birdstrike.payerName', ['financial', 'pii']);
const latitude = fieldResource('Airport.latitude');

function repoDecider(): CedarDecider {
  return new CedarDecider(PolicyStore.load({ dir: REPO_POLICIES, logger: memoryLogger().logger }), { logger: memoryLogger().logger });
}

describe('CedarDecider with the repository policies', () => {
  const decider = repoDecider();

  it('allows anyone to read an untagged field', () => {
    expect(decider.decide(anonymous, 'read', latitude)).toBe(true);
  });

  it('denies anonymous reads of a classified field', () => {
    expect(decider.decide(anonymous, 'read', costTotal)).toBe(false);
  });

  it('unmasks financial fields for finance and auditor only', () => {
    expect([analyst, finance, auditor, partner].map((p) => decider.decide(p, 'unmask', costTotal))).toEqual([false, true, true, false]);
  });

  it('unmasks confidential fields for auditor only', () => {
    expect([analyst, finance, auditor, partner].map((p) => decider.decide(p, 'unmask', operator))).toEqual([false, false, true, false]);
  });

  it('unmasks pii from clearance 3 but never for a partner', () => {
    expect([analyst, finance, auditor, partner].map((p) => decider.decide(p, 'unmask', email))).toEqual([false, true, true, false]);
  });

  it('requires the clearance of every tag of a field', () => {
    expect(decider.decide({ id: 'u5', attributes: { roles: ['finance'], clearance: 2 } }, 'unmask', financialPii)).toBe(false);
    expect(decider.decide(finance, 'unmask', financialPii)).toBe(true);
  });

  it('masks fields with a tag no policy knows', () => {
    expect(decider.decide(auditor, 'unmask', fieldResource('Flight.tail', ['export-controlled']))).toBe(false);
  });

  it('grants filter on a masked field to auditor only', () => {
    expect([analyst, finance, auditor, partner].map((p) => decider.decide(p, 'filter', operator))).toEqual([false, false, true, false]);
  });

  it('reads a clearance given as a numeric string', () => {
    expect(decider.decide({ id: 'u6', attributes: { roles: ['analyst'], clearance: '3' } }, 'unmask', email)).toBe(true);
  });

  it('ignores a clearance of the wrong type', () => {
    expect(decider.decide({ id: 'u7', attributes: { roles: ['analyst'], clearance: 'high' } }, 'unmask', email)).toBe(false);
  });

  it('ignores attributes the Cedar schema does not declare', () => {
    expect(decider.decide({ id: 'u8', attributes: { roles: ['finance'], favouriteColour: 'blue' } }, 'unmask', costTotal)).toBe(true);
  });
});

describe('CedarDecider failing closed', () => {
  function deciderWith(policyText: string) {
    const dir = copyPolicies();
    writeFileSync(path.join(dir, 'extra.cedar'), policyText);
    const { logger, lines } = memoryLogger();
    const result = compilePolicies(readPolicyFolder(dir), 'test:fail-closed');
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return { decider: new CedarDecider({ current: result.compiled }, { logger }), lines };
  }

  // `+` overflows for a clearance near 2^63, which is a runtime error Cedar's validator cannot rule out.
  const overflowing = `forbid (principal, action == MeshGate::Action::"read", resource)
when { principal has clearance && principal.clearance + 9223372036854775000 < 0 };`;

  it('denies when a policy errors during evaluation', () => {
    const { decider } = deciderWith(overflowing);
    expect(decider.decide({ id: 'u9', attributes: { roles: ['analyst'], clearance: 9000 } }, 'read', latitude)).toBe(false);
  });

  it('logs the errored policy without attributes', () => {
    const { decider, lines } = deciderWith(overflowing);
    decider.decide({ id: 'secret-user', attributes: { roles: ['analyst'], clearance: 9000 } }, 'read', latitude);
    const warning = lines.find((line) => line.msg === 'policy evaluation failed, denying');
    expect(warning).toMatchObject({ level: 40, coordinate: 'Airport.latitude', erroredPolicies: ['extra.cedar#0'] });
    expect(JSON.stringify(lines)).not.toContain('secret-user');
    expect(JSON.stringify(lines)).not.toContain('9000');
  });

  it('still allows when the erroring policy does not apply', () => {
    const { decider } = deciderWith(overflowing);
    expect(decider.decide({ id: 'u10', attributes: { roles: ['analyst'], clearance: 2 } }, 'read', latitude)).toBe(true);
  });
});

describe('CedarDecider cache', () => {
  it('returns the cached decision for equal attributes in another key order', () => {
    const decider = repoDecider();
    const first = decider.decide({ id: 'u', attributes: { roles: ['finance'], clearance: 3 } }, 'unmask', costTotal);
    const second = decider.decide({ id: 'u', attributes: { clearance: 3, roles: ['finance'] } }, 'unmask', costTotal);
    expect([first, second]).toEqual([true, true]);
  });

  it('keeps decisions of different attributes apart', () => {
    const decider = repoDecider();
    expect(decider.decide({ id: 'u', attributes: { roles: ['finance'] } }, 'unmask', costTotal)).toBe(true);
    expect(decider.decide({ id: 'u', attributes: { roles: ['analyst'] } }, 'unmask', costTotal)).toBe(false);
  });

  it('decides anew after the policies change', () => {
    const dir = copyPolicies();
    const store = PolicyStore.load({ dir, logger: memoryLogger().logger });
    const decider = new CedarDecider(store, { logger: memoryLogger().logger });
    expect(decider.decide(analyst, 'unmask', costTotal)).toBe(false);

    writeFileSync(path.join(dir, 'unmask.cedar'), 'permit (principal, action == MeshGate::Action::"unmask", resource);\n');
    store.reload();
    expect(decider.decide(analyst, 'unmask', costTotal)).toBe(true);
  });
});
