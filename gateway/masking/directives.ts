import { MASK_RULES } from './maskRule.js';

/**
 * The URL of the mesh's governance spec. A subgraph imports its directives with
 * `@link(url: "https://meshgate.dev/mask/v1.0", import: ["@mask", "@classify", "@restricted"])` and
 * keeps them in the supergraph with one `@composeDirective(name: …)` per directive.
 */
export const MASK_SPEC_URL = 'https://meshgate.dev/mask/v1.0';

/** Names of the governance directives as this spec defines them, before any `@link` renaming. */
export const MASK_DIRECTIVE_NAMES = ['mask', 'classify', 'restricted'] as const;

export type MaskDirectiveName = (typeof MASK_DIRECTIVE_NAMES)[number];

/**
 * SDL of the governance directives, for every subgraph that uses them:
 * `@mask(rule:)` masks the field's value unless the policy permits `unmask`;
 * `@classify(tags:)` lists classification tags (for example `pii`, `financial`) that policies match on;
 * `@restricted` makes the field null with a `FORBIDDEN` error unless the policy permits `read`.
 */
export const maskDirectiveDefinitions = `directive @mask(rule: MaskRule!) on FIELD_DEFINITION

enum MaskRule {
${MASK_RULES.map((rule) => `  ${rule}`).join('\n')}
}

directive @classify(tags: [String!]!) on FIELD_DEFINITION

directive @restricted on FIELD_DEFINITION
`;
