import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

import { maskDirectiveDefinitions, readMaskCatalog } from '../../../gateway/masking/index.js';

const LINKS = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@composeDirective"])
  @link(url: "https://meshgate.dev/mask/v1.0", import: ["@mask", "@classify", "@restricted"])
  @composeDirective(name: "@mask")
  @composeDirective(name: "@classify")
  @composeDirective(name: "@restricted")
`;

function compose(lake: string, warehouse: string): string {
  const result = composeServices([
    { name: 'lake', typeDefs: parse(LINKS + maskDirectiveDefinitions + lake), url: 'http://127.0.0.1:4101/graphql' },
    { name: 'warehouse', typeDefs: parse(LINKS + maskDirectiveDefinitions + warehouse), url: 'http://127.0.0.1:4102/graphql' },
  ]);
  if (result.errors !== undefined) {
    throw new Error(result.errors.map((error) => error.message).join('\n'));
  }
  return result.supergraphSdl;
}

const LAKE = `
type Query { flights: [Flight!]! }
type Flight @key(fields: "id") {
  id: ID!
  origin: String @mask(rule: SHA256) @classify(tags: ["pii", "location"])
  delay: Int! @mask(rule: DEFAULT_VALUE)
  departures: [String] @mask(rule: LAST_FOUR_CHARACTERS)
}`;
const WAREHOUSE = `
type Query { airports: [Airport!]! }
type Airport @key(fields: "code") { code: ID! manager: String @restricted }
type Flight @key(fields: "id") { id: ID! cost: Float @mask(rule: NULLIFY) @classify(tags: ["financial"]) }`;

describe('readMaskCatalog', () => {
  const catalog = readMaskCatalog(compose(LAKE, WAREHOUSE));

  it('reads a composed mask rule', () => {
    expect(catalog.get('Flight.origin')?.rule).toBe('SHA256');
  });
  it('reads classification tags', () => {
    expect(catalog.get('Flight.origin')?.tags).toEqual(['pii', 'location']);
  });
  it('names the subgraph from join__field', () => {
    expect(catalog.get('Flight.cost')?.subgraphs).toEqual(['warehouse']);
  });
  it('names the subgraph from join__type', () => {
    expect(catalog.get('Airport.manager')?.subgraphs).toEqual(['warehouse']);
  });
  it('reads a restricted field', () => {
    expect(catalog.get('Airport.manager')).toMatchObject({ restricted: true, rule: undefined });
  });
  it('reads a non-null scalar type', () => {
    expect(catalog.get('Flight.delay')?.type).toEqual({ namedType: 'Int', kind: 'int', nonNull: true });
  });
  it('reads a list type', () => {
    expect(catalog.get('Flight.departures')?.type).toEqual({
      namedType: 'String',
      kind: 'string',
      nonNull: false,
      item: { namedType: 'String', kind: 'string', nonNull: false },
    });
  });
  it('leaves ungoverned fields out', () => {
    expect([...catalog.keys()].sort()).toEqual(['Airport.manager', 'Flight.cost', 'Flight.delay', 'Flight.departures', 'Flight.origin']);
  });
});

describe('readMaskCatalog validation', () => {
  it('rejects NULLIFY on a non-null field', () => {
    const supergraph = compose('type Query { a: Int @mask(rule: NULLIFY) }', 'type Query { b: String! @mask(rule: NULLIFY) }');
    expect(() => readMaskCatalog(supergraph)).toThrow(
      "The supergraph's masking directives are invalid:\nQuery.b: mask rule NULLIFY needs a nullable field, but the type is String!.",
    );
  });
  it('rejects an unknown rule', () => {
    expect(() => readMaskCatalog('type Query { a: String @mask(rule: REVERSE) }')).toThrow(
      "The supergraph's masking directives are invalid:\nQuery.a: unknown mask rule REVERSE; expected one of the MaskRule values.",
    );
  });
  it('rejects a text rule on an Int', () => {
    expect(() => readMaskCatalog('type Query { a: Int @mask(rule: SHA256) }')).toThrow(
      'Query.a: mask rule SHA256 does not apply to type Int; it applies to String, ID.',
    );
  });
  it('rejects a restricted non-null field', () => {
    expect(() => readMaskCatalog('type Query { a: [Int!]! @restricted }')).toThrow(
      'Query.a: @restricted needs a nullable field, because a denied read returns null, but the type is [Int!]!.',
    );
  });
  it('lists every invalid field', () => {
    expect(() => readMaskCatalog('type Query { a: Int! @mask(rule: NULLIFY) b: Boolean @mask(rule: EMAIL_MASK) }')).toThrow(
      /Query\.a: .*\nQuery\.b: /,
    );
  });
  it('rejects SDL that does not parse', () => {
    expect(() => readMaskCatalog('type Query {')).toThrow(/^The supergraph SDL is not valid GraphQL: Syntax Error/);
  });
  it('follows an import renamed with as', () => {
    const sdl = `schema @link(url: "https://meshgate.dev/mask/v1.0", import: [{ name: "@mask", as: "@hide" }]) { query: Query }
      type Query { a: String @hide(rule: EMAIL_MASK) b: String @mask__classify(tags: ["pii"]) }`;
    const catalog = readMaskCatalog(sdl);
    expect(catalog.get('Query.a')?.rule).toBe('EMAIL_MASK');
    expect(catalog.get('Query.b')?.tags).toEqual(['pii']);
  });
  it('accepts DEFAULT_VALUE on a list of objects', () => {
    const catalog = readMaskCatalog('type Query { a: [Item!]! @mask(rule: DEFAULT_VALUE) } type Item { x: Int }');
    expect(catalog.get('Query.a')?.rule).toBe('DEFAULT_VALUE');
  });
});
