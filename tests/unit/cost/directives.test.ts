import { readCostDirectives } from '../../../gateway/cost/directives.js';
import { loadCostSchema } from '../../../gateway/cost/schema.js';
import { COST_DIRECTIVES, estimate } from './helpers.js';

describe('readCostDirectives', () => {
  it('keys weights by schema coordinate', () => {
    const directives = readCostDirectives(`${COST_DIRECTIVES}
      type Query @cost(weight: 1) { field(arg: In @cost(weight: 2)): Int @cost(weight: 3) }
      input In { value: Int @cost(weight: 4) }
      scalar Money @cost(weight: 5)
    `);
    expect([...directives.weights]).toEqual([
      ['Query', 1],
      ['Query.field', 3],
      ['Query.field(arg:)', 2],
      ['In.value', 4],
      ['Money', 5],
    ]);
  });

  it('fills requireOneSlicingArgument with true', () => {
    const directives = readCostDirectives(`${COST_DIRECTIVES}
      type Query { items(first: Int): [Int] @listSize(slicingArguments: ["first"], sizedFields: ["a"]) }
    `);
    expect(directives.listSizes.get('Query.items')).toEqual({
      assumedSize: undefined,
      slicingArguments: ['first'],
      sizedFields: ['a'],
      requireOneSlicingArgument: true,
    });
  });

  it('follows a renaming @link import', () => {
    const directives = readCostDirectives(`
      extend schema @link(url: "https://specs.apollo.dev/cost/v0.1", import: [{ name: "@cost", as: "@price" }, "@listSize"])
      type Query { items: [Int] @price(weight: 9) @listSize(assumedSize: 3) }
    `);
    expect(directives.weights.get('Query.items')).toBe(9);
    expect(directives.listSizes.get('Query.items')?.assumedSize).toBe(3);
  });

  it('reads namespaced federation names', () => {
    const directives = readCostDirectives(`
      type Query { items: [Int] @federation__cost(weight: 2) @federation__listSize(assumedSize: 4) }
    `);
    expect(directives.weights.get('Query.items')).toBe(2);
    expect(directives.listSizes.get('Query.items')?.assumedSize).toBe(4);
  });
});

describe('loadCostSchema on a supergraph', () => {
  const supergraphSdl = `
schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)
  @link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@listSize"])
{
  query: Query
}

directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE
directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean, overrideLabel: String, contextArguments: [join__ContextArgument!]) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE
directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION

input join__ContextArgument { name: String! type: String! context: String! selection: join__FieldValue! }
scalar join__FieldSet
scalar join__FieldValue
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }

enum join__Graph {
  LAKE @join__graph(name: "lake", url: "http://127.0.0.1:4101/graphql")
}

type Query @join__type(graph: LAKE) {
  flights(first: Int): [Flight!]! @listSize(slicingArguments: ["first"]) @cost(weight: 3)
  airports: [Airport!]!
}

type Flight @join__type(graph: LAKE) @cost(weight: 2) { id: ID! }
type Airport @join__type(graph: LAKE) { code: String }
`;

  it('estimates with the directives the API schema drops', () => {
    const costSchema = loadCostSchema(supergraphSdl);
    // 3 once + 4 flights of weight 2.
    expect(estimate(costSchema, '{ flights(first: 4) { id } }').estimated).toBe(11);
  });

  it('applies the list size configured for the resolving subgraph', () => {
    const costSchema = loadCostSchema(supergraphSdl);
    const request = { options: { listSize: 100, subgraphListSizes: { lake: 6 } } };
    expect(estimate(costSchema, '{ airports { code } }', request).estimated).toBe(6);
  });

  it('rejects invalid SDL with the parser message', () => {
    expect(() => loadCostSchema('type Query {')).toThrow(/^Invalid schema SDL: Syntax Error/);
  });
});
