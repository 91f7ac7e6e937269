import { parse } from 'graphql';

import { measureActualCost } from '../../../gateway/cost/actual.js';
import { estimate, plainSchema } from './helpers.js';

describe('measureActualCost', () => {
  const schema = plainSchema(`
    type Query { items(first: Int): [Item] @listSize(slicingArguments: ["first"]) @cost(weight: 4) node: Node }
    type Mutation { touch: Item }
    type Item @cost(weight: 2) { name: String tags: [Tag] }
    type Tag { label: String }
    interface Node { id: ID }
    type Cheap implements Node { id: ID }
    type Dear implements Node @cost(weight: 9) { id: ID }
  `);

  it('counts objects by type weight and leaves as 0', () => {
    const query = '{ items(first: 5) { name tags { label } } }';
    const response = { data: { items: [{ name: 'a', tags: [{ label: 'x' }, { label: 'y' }] }, { name: 'b', tags: [] }] } };
    // call 4 + 2 items × 2 + 2 tags × 1.
    expect(measureActualCost(schema, parse(query), response)).toBe(4 + 2 * 2 + 2);
  });

  it('equals the estimate when list sizes match', () => {
    const query = '{ items(first: 2) { tags { label } } }';
    const tags = Array.from({ length: 100 }, () => ({ label: 't' }));
    const response = { data: { items: [{ tags }, { tags }] } };
    expect(measureActualCost(schema, parse(query), response)).toBe(estimate(schema, query).estimated);
  });

  it('weighs an abstract value by its __typename', () => {
    const query = '{ node { __typename id } }';
    expect(measureActualCost(schema, parse(query), { data: { node: { __typename: 'Cheap', id: '1' } } })).toBe(1);
    expect(measureActualCost(schema, parse(query), { data: { node: { __typename: 'Dear', id: '1' } } })).toBe(9);
  });

  it('costs null values and null data nothing beyond the base', () => {
    expect(measureActualCost(schema, parse('{ node { id } }'), { data: { node: null } })).toBe(0);
    expect(measureActualCost(schema, parse('mutation { touch { name } }'), { data: null })).toBe(10);
  });

  it('skips fields excluded by @skip', () => {
    const query = 'query ($s: Boolean!) { items(first: 1) { tags @skip(if: $s) { label } } }';
    const response = { data: { items: [{}] } };
    expect(measureActualCost(schema, parse(query), response, { variables: { s: true } })).toBe(4 + 2);
  });

  it('rejects a response that is not an object', () => {
    expect(() => measureActualCost(schema, parse('{ node { id } }'), [])).toThrow('The response is not a JSON object.');
  });
});
