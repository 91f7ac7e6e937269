import type { MaskRule } from '../maskRule.js';
import type { FieldType, MaskRuleOptions, ValueKind } from '../types.js';
import { maskDateYear } from './dateYearMask.js';
import { DEFAULT_VALUES, maskDefaultValue } from './defaultValue.js';
import { maskEmail } from './emailMask.js';
import { maskFirstFourCharacters } from './firstFourCharacters.js';
import { maskKeyedSha256 } from './keyedSha256.js';
import { maskLastFourCharacters } from './lastFourCharacters.js';
import { maskSha256 } from './sha256.js';

/** Masks one non-null value of a named type; lists and null are handled by `applyMaskRule`. */
export type ScalarMask = (value: unknown, fieldType: FieldType, options: MaskRuleOptions) => unknown;

const TEXT_KINDS: readonly ValueKind[] = ['string'];
const DATE_KINDS: readonly ValueKind[] = ['date', 'dateTime', 'localDateTime'];

/**
 * The kinds each rule accepts, following BigQuery: the hash and character rules apply to text
 * (`String`, `ID`) because their output is text; `DATE_YEAR_MASK` to dates and timestamps;
 * `DEFAULT_VALUE` to every kind with a zero, and to any list; `NULLIFY` to any nullable field.
 */
export const RULE_KINDS: Record<Exclude<MaskRule, 'NULLIFY' | 'DEFAULT_VALUE'>, readonly ValueKind[]> & {
  DEFAULT_VALUE: readonly ValueKind[];
} = {
  SHA256: TEXT_KINDS,
  KEYED_SHA256: TEXT_KINDS,
  LAST_FOUR_CHARACTERS: TEXT_KINDS,
  FIRST_FOUR_CHARACTERS: TEXT_KINDS,
  EMAIL_MASK: TEXT_KINDS,
  DATE_YEAR_MASK: DATE_KINDS,
  DEFAULT_VALUE: Object.keys(DEFAULT_VALUES) as ValueKind[],
};

/** The mask of each rule other than `NULLIFY` and list-level `DEFAULT_VALUE`, applied per list item. */
export const SCALAR_MASKS: Record<Exclude<MaskRule, 'NULLIFY'>, ScalarMask> = {
  SHA256: (value) => maskSha256(value),
  KEYED_SHA256: (value, _type, options) => maskKeyedSha256(value, options.hmacSecret),
  DEFAULT_VALUE: (_value, fieldType) => maskDefaultValue(fieldType),
  LAST_FOUR_CHARACTERS: (value) => maskLastFourCharacters(value),
  FIRST_FOUR_CHARACTERS: (value) => maskFirstFourCharacters(value),
  EMAIL_MASK: (value) => maskEmail(value),
  DATE_YEAR_MASK: (value, fieldType) => maskDateYear(value, fieldType.kind),
};
