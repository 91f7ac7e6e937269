/**
 * The mask rules, with the meaning of BigQuery's predefined data-masking rules of the same name
 * (`ALWAYS_NULL` is spelled `NULLIFY` here, and `KEYED_SHA256` is HMAC-SHA256 with a gateway key).
 */
export const MASK_RULES = [
  'SHA256',
  'KEYED_SHA256',
  'NULLIFY',
  'DEFAULT_VALUE',
  'LAST_FOUR_CHARACTERS',
  'FIRST_FOUR_CHARACTERS',
  'EMAIL_MASK',
  'DATE_YEAR_MASK',
] as const;

export type MaskRule = (typeof MASK_RULES)[number];

/** Tells whether a name is one of the mask rules. */
export function isMaskRule(name: string): name is MaskRule {
  return (MASK_RULES as readonly string[]).includes(name);
}
