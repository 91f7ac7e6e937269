export { readMaskCatalog, type ReadMaskCatalogOptions } from './catalog.js';
export { applyMaskRule } from './applyMaskRule.js';
export { useMasking } from './plugin.js';
export type { MaskingOptions } from './options.js';
export { maskDirectiveDefinitions, MASK_SPEC_URL } from './directives.js';
export { MASK_RULES, type MaskRule } from './maskRule.js';
export {
  createConventionResolver,
  DEFAULT_NAMING_CONVENTION,
  type ArgumentCoordinateResolver,
  type ArgumentNamingConvention,
} from './argumentCoordinates.js';
export { fieldResourceOf } from './decisions.js';
export { DEFAULT_SCALAR_KINDS } from './valueKind.js';
export type {
  Action,
  Decider,
  FieldResource,
  FieldType,
  MaskCatalog,
  MaskCatalogEntry,
  MaskRuleOptions,
  Principal,
  ValueKind,
} from './types.js';
