import { GraphQLError } from 'graphql';

import { estimate, plainSchema } from './helpers.js';

describe('estimateCost operation base', () => {
  const schema = plainSchema(`
    type Query { value: Int }
    type Mutation { touch: Int }
    type Subscription { ticks: Int }
  `);

  it('starts a query at 0', () => {
    expect(estimate(schema, '{ value }').estimated).toBe(0);
  });

  it('starts a mutation at 10', () => {
    expect(estimate(schema, 'mutation { touch }').estimated).toBe(10);
  });

  it('starts a subscription at 0', () => {
    expect(estimate(schema, 'subscription { ticks }').estimated).toBe(0);
  });
});

describe('estimateCost type weights', () => {
  it('counts 1 per object and 0 per scalar or enum', () => {
    const schema = plainSchema(`
      enum Color { RED }
      type Query { book: Book }
      type Book { title: String color: Color author: Author }
      type Author { name: String }
    `);
    // book (1) + author (1); title and color are leaves of weight 0.
    expect(estimate(schema, '{ book { title color author { name } } }').estimated).toBe(2);
  });

  it('uses the @cost of an object, scalar or enum type', () => {
    const schema = plainSchema(`
      scalar Blob @cost(weight: 4)
      enum Color @cost(weight: 2) { RED }
      type Query { book: Book }
      type Book @cost(weight: 3) { cover: Blob color: Color }
    `);
    expect(estimate(schema, '{ book { cover color } }').estimated).toBe(3 + 4 + 2);
  });

  it('weighs an abstract type as its most expensive member', () => {
    const schema = plainSchema(`
      interface Node { id: ID }
      type Cheap implements Node @cost(weight: 2) { id: ID }
      type Dear implements Node @cost(weight: 7) { id: ID }
      union Any = Cheap | Dear
      type Query { node: Node any: Any }
    `);
    expect(estimate(schema, '{ node { id } }').estimated).toBe(7);
    expect(estimate(schema, '{ any { __typename } }').estimated).toBe(7);
  });
});

describe('estimateCost field call cost', () => {
  const schema = plainSchema(`
    type Query {
      expensive: [Item] @cost(weight: 50) @listSize(assumedSize: 10)
      dear: [DearItem] @cost(weight: 50) @listSize(assumedSize: 10)
      discounted(filter: Filter): Item @cost(weight: -5)
    }
    type Item { name: String }
    type DearItem @cost(weight: 5) { name: String }
    input Filter { name: String @cost(weight: 1) tag: String }
  `);

  it('adds a field weight once to a list of plain objects', () => {
    // 50 once + 10 items of weight 1.
    expect(estimate(schema, '{ expensive { name } }').estimated).toBe(60);
  });

  it('adds a field weight once to a list of weighted objects', () => {
    // 50 once + 10 items of weight 5.
    expect(estimate(schema, '{ dear { name } }').estimated).toBe(100);
  });

  it('never lets a call cost fall below 0', () => {
    // -5 + filter (1 + name 1) = -3, clamped to 0; the Item itself still costs 1.
    expect(estimate(schema, '{ discounted(filter: { name: "a" }) { name } }').estimated).toBe(1);
  });
});

describe('estimateCost arguments', () => {
  const schema = plainSchema(`
    type Query {
      search(filter: Filter, tags: [String] @cost(weight: 2), plain: String, ids: [ID]): Int
      weighted(filter: Filter @cost(weight: 4)): Int
    }
    input Filter { name: String, nested: Inner, limit: Int @cost(weight: 3) }
    input Inner { flag: Boolean }
  `);

  it('costs an input object 1 plus its provided fields', () => {
    // Filter (1) + limit (3) + nested Inner (1); name is a scalar without @cost.
    expect(estimate(schema, '{ search(filter: { name: "x", limit: 2, nested: { flag: true } }) }').estimated).toBe(5);
  });

  it('uses the argument @cost in place of 1 for an input object', () => {
    expect(estimate(schema, '{ weighted(filter: { name: "x" }) }').estimated).toBe(4);
  });

  it('sums the items of a list argument', () => {
    expect(estimate(schema, '{ search(tags: ["a", "b", "c"]) }').estimated).toBe(6);
  });

  it('costs scalars without @cost and null 0', () => {
    expect(estimate(schema, '{ search(plain: "x", ids: ["1", "2"], filter: null) }').estimated).toBe(0);
  });

  it('costs arguments given through variables', () => {
    const query = 'query ($f: Filter, $t: [String]) { search(filter: $f, tags: $t) }';
    const variables = { f: { limit: 1 }, t: ['a', 'b'] };
    expect(estimate(schema, query, { variables }).estimated).toBe(1 + 3 + 2 * 2);
  });
});

describe('estimateCost list sizes', () => {
  const schema = plainSchema(`
    type Query {
      someObjects: [Obj]
      assumed: [Obj] @listSize(assumedSize: 7)
      page(first: Int, last: Int): [Obj] @listSize(slicingArguments: ["first", "last"], requireOneSlicingArgument: false)
      byIds(ids: [ID!]): [Obj] @listSize(slicingArguments: ["ids"])
      byInput(input: PageInput): [Obj] @listSize(slicingArguments: ["input.first"])
      defaulted(first: Int = 4): [Obj] @listSize(slicingArguments: ["first"])
      strict(first: Int, last: Int): [Obj] @listSize(slicingArguments: ["first", "last"])
      connection(first: Int!): Connection @listSize(slicingArguments: ["first"], sizedFields: ["edges", "results { page }"])
    }
    input PageInput { first: Int = 3 }
    type Obj { innerList: [Inner] }
    type Inner { field2: Int }
    type Connection { edges: [Obj] results: Results other: [Obj] }
    type Results { page: [Obj] }
  `);

  it('uses the default size of 100 for unsized lists', () => {
    // 100 objects × (1 + 100 inner objects × 1).
    expect(estimate(schema, '{ someObjects { innerList { field2 } } }').estimated).toBe(10100);
  });

  it('uses a configured default size', () => {
    expect(estimate(schema, '{ someObjects { innerList { field2 } } }', { options: { listSize: 3 } }).estimated).toBe(3 * (1 + 3));
  });

  it('uses assumedSize', () => {
    expect(estimate(schema, '{ assumed { __typename } }').estimated).toBe(7);
  });

  it('takes the largest slicing argument', () => {
    expect(estimate(schema, '{ page(first: 2, last: 9) { __typename } }').estimated).toBe(9);
  });

  it('sizes a list argument by its length', () => {
    expect(estimate(schema, '{ byIds(ids: ["a", "b", "c"]) { __typename } }').estimated).toBe(3);
  });

  it('reads a dotted slicing path and its input default', () => {
    // The input object argument itself costs 1 on top of the list.
    expect(estimate(schema, '{ byInput(input: { first: 6 }) { __typename } }').estimated).toBe(6 + 1);
    expect(estimate(schema, '{ byInput(input: {}) { __typename } }').estimated).toBe(3 + 1);
  });

  it('resolves slicing variables and argument defaults', () => {
    expect(estimate(schema, 'query ($n: Int) { page(first: $n) { __typename } }', { variables: { n: 12 } }).estimated).toBe(12);
    expect(estimate(schema, 'query ($n: Int = 5) { page(first: $n) { __typename } }').estimated).toBe(5);
    expect(estimate(schema, '{ defaulted { __typename } }').estimated).toBe(4);
  });

  it('hands the slicing size down to sized fields', () => {
    // connection (1) + 5 edges (1 each) + results (1) + 5 pages (1 each); other keeps the default 100.
    expect(estimate(schema, '{ connection(first: 5) { edges { __typename } results { page { __typename } } } }').estimated).toBe(12);
    expect(estimate(schema, '{ connection(first: 5) { other { __typename } } }').estimated).toBe(101);
  });

  it('uses the configured size of the subgraph before the default', () => {
    const subgraphSchema = { ...schema, subgraph: 'lake' };
    const request = { options: { listSize: 50, subgraphListSizes: { lake: 8 } } };
    expect(estimate(subgraphSchema, '{ someObjects { __typename } }', request).estimated).toBe(8);
  });
});

describe('estimateCost requireOneSlicingArgument', () => {
  const schema = plainSchema(`
    type Query { strict(first: Int, last: Int): [Item] @listSize(slicingArguments: ["first", "last"]) }
    type Item { id: ID }
  `);

  it('accepts exactly one slicing value', () => {
    expect(estimate(schema, '{ strict(last: 4) { id } }').estimated).toBe(4);
  });

  it.each([
    ['no slicing argument', '{ strict { id } }', 0],
    ['two slicing arguments', '{ strict(first: 1, last: 2) { id } }', 2],
  ])('rejects %s', (_case, query, found) => {
    expect.assertions(2);
    try {
      estimate(schema, query);
    } catch (error) {
      expect((error as GraphQLError).extensions.code).toBe('COST_QUERY_PARSE_FAILURE');
      expect((error as GraphQLError).message).toBe(
        `The field Query.strict requires exactly one slicing argument of first, last, but found ${found}.`,
      );
    }
  });
});

describe('estimateCost selections', () => {
  const schema = plainSchema(`
    type Query { items: [Item] @listSize(assumedSize: 2) node: Node }
    type Item { child: Child }
    type Child { name: String }
    interface Node { id: ID }
    type A implements Node { id: ID a: Child }
    type B implements Node { id: ID b: Child bb: Child }
  `);

  it('costs __typename 0', () => {
    expect(estimate(schema, '{ items { __typename } __typename }').estimated).toBe(2);
  });

  it('costs @skip(if: true) and @include(if: false) 0', () => {
    expect(estimate(schema, '{ items { child @skip(if: true) { name } } }').estimated).toBe(2);
    expect(estimate(schema, '{ items { child @include(if: false) { name } } }').estimated).toBe(2);
    expect(estimate(schema, '{ items { child @include(if: true) { name } } }').estimated).toBe(4);
  });

  it('reads @skip and @include variables', () => {
    const query = 'query ($s: Boolean!) { items { child @skip(if: $s) { name } } }';
    expect(estimate(schema, query, { variables: { s: true } }).estimated).toBe(2);
    expect(estimate(schema, query, { variables: { s: false } }).estimated).toBe(4);
  });

  it('adds up the branches on an abstract type', () => {
    // node (1) + a (1) + b (1) + bb (1).
    expect(estimate(schema, '{ node { ... on A { a { name } } ... on B { b { name } bb { name } } } }').estimated).toBe(4);
  });
});

describe('estimateCost fragments and aliases', () => {
  const schema = plainSchema(`
    type Query { datasets(first: Int): [Dataset] @listSize(slicingArguments: ["first"]) }
    type Dataset { owner: Owner files: [File] @listSize(assumedSize: 5) }
    type Owner { name: String }
    type File { meta: Meta }
    type Meta { bytes: Int }
  `);
  // Per dataset: 1 + owner 1 + 5 files × (1 + meta 1) = 12; 10 datasets make 120.
  const expected = 10 * (1 + 1 + 5 * (1 + 1));

  it('costs the inline form', () => {
    expect(estimate(schema, '{ datasets(first: 10) { owner { name } files { meta { bytes } } } }').estimated).toBe(expected);
  });

  it('costs named fragments as the inline form', () => {
    const query = `
      { datasets(first: 10) { ...DatasetParts } }
      fragment DatasetParts on Dataset { owner { name } files { ...FileParts } }
      fragment FileParts on File { meta { bytes } }
    `;
    expect(estimate(schema, query).estimated).toBe(expected);
  });

  it('costs inline fragments as the inline form', () => {
    const query = '{ datasets(first: 10) { ... on Dataset { owner { name } ... { files { ... on File { meta { bytes } } } } } } }';
    expect(estimate(schema, query).estimated).toBe(expected);
  });

  it('costs two aliased copies twice', () => {
    const query = `{
      a: datasets(first: 10) { owner { name } files { meta { bytes } } }
      b: datasets(first: 10) { owner { name } files { meta { bytes } } }
    }`;
    expect(estimate(schema, query).estimated).toBe(2 * expected);
  });
});

describe('estimateCost errors', () => {
  const schema = plainSchema('type Query { value: Int }');

  it('rejects an operation type the schema lacks', () => {
    expect.assertions(2);
    try {
      estimate(schema, 'mutation { value }');
    } catch (error) {
      expect((error as GraphQLError).extensions.code).toBe('COST_QUERY_PARSE_FAILURE');
      expect((error as GraphQLError).message).toBe('The schema has no mutation root type.');
    }
  });

  it('rejects an unknown operation name', () => {
    expect(() => estimate(schema, 'query A { value }', { operationName: 'B' })).toThrow('The document has no operation named "B".');
  });

  it('rejects a missing required variable', () => {
    expect.assertions(1);
    try {
      estimate(schema, 'query ($x: Boolean!) { value @skip(if: $x) }');
    } catch (error) {
      expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('estimateCost breakdown', () => {
  const schema = plainSchema(`
    type Query { items: [Item] @listSize(assumedSize: 3) @cost(weight: 2) }
    type Item { child: Child }
    type Child { name: String }
  `);

  it('lists each field path with its cost', () => {
    const result = estimate(schema, '{ items { child { name } } }');
    expect(result.fields.map((field) => [field.path, field.cost, field.resolutions])).toEqual([
      ['items[]', 2 + 3 * (1 + 1), 1],
      ['items[].child', 3, 3],
      ['items[].child.name', 0, 3],
    ]);
  });

  it('adds self costs up to the estimate', () => {
    const result = estimate(schema, '{ a: items { child { name } } b: items { child { name } } }');
    const sum = result.fields.reduce((total, field) => total + field.selfCost, 0);
    expect(sum).toBe(result.estimated);
  });
});
