import type { MaskRule } from './maskRule.js';
import { SCALAR_MASKS } from './rules/index.js';
import { maskNullify } from './rules/nullify.js';
import type { FieldType, MaskRuleOptions } from './types.js';

/**
 * Masks a field's value with a rule, by the field's GraphQL type and never by truthiness: `0`, `""`
 * and `false` are masked like any value, and null stays null. `NULLIFY` returns null, `DEFAULT_VALUE`
 * on a list returns `[]`, and every other rule masks a list item by item (null items stay null).
 *
 * @throws MASK_CONFIG_INVALID for `KEYED_SHA256` without `options.hmacSecret`.
 */
export function applyMaskRule(rule: MaskRule, value: unknown, fieldType: FieldType, options: MaskRuleOptions = {}): unknown {
  if (value === null || value === undefined) {
    return null;
  }
  if (rule === 'NULLIFY') {
    return maskNullify();
  }
  if (fieldType.item !== undefined && rule !== 'DEFAULT_VALUE') {
    return maskItems(rule, value, fieldType.item, options);
  }
  return SCALAR_MASKS[rule](value, fieldType, options);
}

function maskItems(rule: MaskRule, value: unknown, itemType: FieldType, options: MaskRuleOptions): unknown {
  if (!Array.isArray(value)) {
    return applyMaskRule(rule, value, itemType, options);
  }
  return value.map((item: unknown) => applyMaskRule(rule, item, itemType, options));
}
