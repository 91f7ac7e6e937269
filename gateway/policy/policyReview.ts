import type { CedarDecider } from './cedarDecider.js';
import { fieldResource } from './fieldResource.js';
import { personaPrincipal, type Persona } from './personas.js';
import type { SupergraphField } from './supergraphFields.js';
import type { Principal } from './types.js';

/** One persona × field outcome that differs between two policy versions. */
export interface ReviewChange {
  coordinate: string;
  persona: string;
  before: string;
  after: string;
}

/**
 * Compares what each persona gets for each governed field under two policy sets: the value
 * (`denied`, `raw` or `masked (RULE)`, from the `read` and `unmask` decisions) and whether it may
 * filter by the field (the `filter` decision). Returns only the outcomes that differ.
 */
export function reviewDecisions(
  base: CedarDecider,
  head: CedarDecider,
  personas: Persona[],
  fields: SupergraphField[],
): ReviewChange[] {
  const changes: ReviewChange[] = [];
  for (const field of fields) {
    for (const persona of personas) {
      const principal = personaPrincipal(persona);
      const before = outcomes(base, principal, field);
      const after = outcomes(head, principal, field);
      if (before.value !== after.value) changes.push({ coordinate: field.coordinate, persona: persona.name, before: before.value, after: after.value });
      if (before.filter !== after.filter) changes.push({ coordinate: field.coordinate, persona: persona.name, before: before.filter, after: after.filter });
    }
  }
  return changes;
}

function outcomes(decider: CedarDecider, principal: Principal, field: SupergraphField): { value: string; filter: string } {
  const resource = fieldResource(field.coordinate, field.tags, field.subgraph);
  const filter = decider.decide(principal, 'filter', resource) ? 'filter allowed' : 'filter denied';
  if (!decider.decide(principal, 'read', resource)) return { value: 'denied', filter };
  if (decider.decide(principal, 'unmask', resource)) return { value: 'raw', filter };
  return { value: field.maskRule === undefined ? 'masked' : `masked (${field.maskRule})`, filter };
}

/** Renders the changes as a Markdown section for a pull request. */
export function formatReviewMarkdown(changes: ReviewChange[], baseLabel: string): string {
  const heading = `### Policy decisions changed since ${baseLabel}`;
  if (changes.length === 0) return `${heading}\n\nNo decision changes.\n`;

  const rows = changes.map((change) => `| ${change.coordinate} | ${change.persona} | ${change.before} → ${change.after} |`);
  return [heading, '', '| Field | Persona | Change |', '|---|---|---|', ...rows, ''].join('\n');
}
