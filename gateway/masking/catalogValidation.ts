import { RULE_KINDS } from './rules/index.js';
import type { MaskCatalogEntry, ValueKind } from './types.js';
import { DEFAULT_SCALAR_KINDS } from './valueKind.js';

/**
 * Lists what is wrong with one governed field, one sentence per problem naming its coordinate: a
 * rule whose output does not fit the field's type, or a null the field's type does not allow.
 */
export function validateCatalogEntry(entry: MaskCatalogEntry): string[] {
  const problems: string[] = [];
  const { coordinate, rule, type } = entry;
  const typeText = printFieldType(entry);

  if (rule === 'NULLIFY' && type.nonNull) {
    problems.push(`${coordinate}: mask rule NULLIFY needs a nullable field, but the type is ${typeText}.`);
  }
  if (entry.restricted && type.nonNull) {
    problems.push(`${coordinate}: @restricted needs a nullable field, because a denied read returns null, but the type is ${typeText}.`);
  }
  if (rule !== undefined && rule !== 'NULLIFY' && !ruleFitsType(entry)) {
    const accepted = rule === 'DEFAULT_VALUE' ? 'a list or a scalar with a default value' : acceptedScalars(RULE_KINDS[rule]);
    problems.push(`${coordinate}: mask rule ${rule} does not apply to type ${typeText}; it applies to ${accepted}.`);
  }
  return problems;
}

function ruleFitsType(entry: MaskCatalogEntry): boolean {
  const rule = entry.rule;
  if (rule === undefined || rule === 'NULLIFY') {
    return true;
  }
  if (rule === 'DEFAULT_VALUE' && entry.type.item !== undefined) {
    return true;
  }
  return RULE_KINDS[rule].includes(entry.type.kind);
}

function printFieldType(entry: MaskCatalogEntry): string {
  let text = entry.type.namedType;
  let type = entry.type;
  const wrappers: boolean[] = [];
  while (type.item !== undefined) {
    wrappers.push(type.nonNull);
    type = type.item;
  }
  text = type.nonNull ? `${text}!` : text;
  for (const nonNull of wrappers.reverse()) {
    text = `[${text}]${nonNull ? '!' : ''}`;
  }
  return text;
}

function acceptedScalars(kinds: readonly ValueKind[]): string {
  const names = Object.entries(DEFAULT_SCALAR_KINDS).filter(([, kind]) => kinds.includes(kind));
  return names.map(([name]) => name).join(', ');
}
