import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

const LINKS = `
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@composeDirective"])
  @link(url: "https://meshgate.dev/mask/v1.0", import: ["@mask", "@classify"])
  @composeDirective(name: "@mask")
  @composeDirective(name: "@classify")

enum MaskRule { SHA256 NULLIFY DEFAULT_VALUE LAST_FOUR_CHARACTERS }
directive @mask(rule: MaskRule!) on FIELD_DEFINITION
directive @classify(tags: [String!]!) on FIELD_DEFINITION
`;

export const WAREHOUSE_SDL = `${LINKS}
type Query { birdstrikes: [Birdstrike!]! }
type Birdstrike @key(fields: "id") {
  id: ID!
  costTotal: Float @mask(rule: SHA256) @classify(tags: ["financial"])
  costRepair: Float @mask(rule: NULLIFY) @classify(tags: ["financial"])
  operator: String @mask(rule: DEFAULT_VALUE) @classify(tags: ["confidential"])
  reporterEmail: String @mask(rule: LAST_FOUR_CHARACTERS) @classify(tags: ["pii"])
}
`;

export const LAKE_SDL = `${LINKS}
type Query { airports: [Airport!]! }
type Airport @key(fields: "iata") {
  iata: ID!
  latitude: Float
  longitude: Float
}
`;

/** Composes the two fixture subgraphs into a supergraph SDL with Apollo's real composition. */
export function composeFixtureSupergraph(): string {
  const result = composeServices([
    { name: 'warehouse', url: 'http://127.0.0.1:4102/graphql', typeDefs: parse(WAREHOUSE_SDL) },
    { name: 'lake', url: 'http://127.0.0.1:4101/graphql', typeDefs: parse(LAKE_SDL) },
  ]);
  if (result.errors !== undefined) throw new Error(result.errors.map((error) => error.message).join('\n'));
  return result.supergraphSdl;
}
