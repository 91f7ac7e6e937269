import { DataProductDefinitionError, pluralize, readDataProduct } from '../../../subgraphs/kit/model.js';
import { thrownBy } from './tables.js';

function definitionErrorOf(sdl: string): DataProductDefinitionError {
  return thrownBy(DataProductDefinitionError, () => readDataProduct(sdl));
}

describe('readDataProduct', () => {
  it('reads a mapped type with its key, plural and columns', () => {
    const model = readDataProduct(`
      type Category @key(fields: "id") @table(name: "categories") {
        id: ID!
        label: String @column(name: "category_label")
      }
    `);
    const type = model.types.get('Category');

    expect(type?.plural).toBe('categories');
    expect(type?.keyFields).toEqual(['id']);
    expect(type?.isEntity).toBe(true);
    expect(type?.fields.map((field) => field.column)).toEqual(['id', 'category_label']);
  });

  it('takes the key from @table without @key', () => {
    const model = readDataProduct('type Reading @table(name: "readings", key: ["station", "at"]) { station: ID!  at: DateTime! value: Float }');
    const type = model.types.get('Reading');

    expect(type?.keyFields).toEqual(['station', 'at']);
    expect(type?.isEntity).toBe(false);
  });

  it('reads a compound @key split by spaces', () => {
    const model = readDataProduct('type Leg @key(fields: "flightId seq") @table(name: "legs") { flightId: ID! seq: Int! }');

    expect(model.types.get('Leg')?.keyFields).toEqual(['flightId', 'seq']);
  });

  it('rejects a mapped type without a key', () => {
    const error = definitionErrorOf('type Flight @table(name: "flights") { id: ID! }');

    expect(error.message).toBe('Flight: a mapped type needs @key(fields: ...) or a `key` argument on @table.');
  });

  it('names the dataset directive for a dataset without a key', () => {
    const error = definitionErrorOf('type Trip @dataset(name: "trips") { id: ID! }');

    expect(error.message).toBe('Trip: a mapped type needs @key(fields: ...) or a `key` argument on @dataset.');
  });

  it('rejects an undeclared key field', () => {
    const error = definitionErrorOf('type Flight @key(fields: "code") @table(name: "flights") { id: ID! }');

    expect(error.message).toBe('Flight.code: a key field must be a column field of Flight.');
  });

  it('rejects a nested key', () => {
    const error = definitionErrorOf('type Flight @key(fields: "route { id }") @table(name: "flights") { id: ID! }');

    expect(error.message).toBe('@key(fields: "route { id }"): nested key fields are not supported by the engine.');
  });

  it('rejects a list field', () => {
    const error = definitionErrorOf('type Flight @key(fields: "id") @table(name: "flights") { id: ID! tags: [String!] }');

    expect(error.message).toBe('Flight.tags: list fields cannot be mapped to a column.');
  });

  it('rejects a JSON key field', () => {
    const error = definitionErrorOf('type Doc @key(fields: "body") @table(name: "docs") { body: JSON }');

    expect(error.message).toBe('Doc.body: a key field cannot be JSON; use a scalar that compares by value.');
  });

  it('rejects a non-scalar column type', () => {
    const error = definitionErrorOf('type Flight @key(fields: "id") @table(name: "flights") { id: ID! position: Point }');

    expect(error.message).toBe(
      'Flight.position: type Point is not a column scalar; use one of Int, Float, String, Boolean, ID, BigInt, Decimal, Date, DateTime, LocalDateTime, JSON, or @reference for an entity.',
    );
  });

  it('rejects a reference to an undeclared type', () => {
    const error = definitionErrorOf('type Flight @key(fields: "id") @table(name: "flights") { id: ID! origin: Airport @reference(column: "origin_code") }');

    expect(error.message).toBe('Flight.origin: the referenced type Airport is not declared.');
  });

  it('rejects a reference to a compound key', () => {
    const error = definitionErrorOf(`
      type Leg @key(fields: "flightId seq") @table(name: "legs") { flightId: ID! seq: Int! }
      type Delay @key(fields: "id") @table(name: "delays") { id: ID! leg: Leg @reference(column: "leg_id") }
    `);

    expect(error.message).toBe('Delay.leg: a reference needs Leg to have a single-field key.');
  });

  it('rejects a relation to an unmapped type', () => {
    const error = definitionErrorOf(`
      type Airport @key(fields: "code") { code: ID! flights: [Departure!]! @relation(field: "origin") }
    `);

    expect(error.message).toBe("Airport.flights: the relation's type Departure is not a mapped type.");
  });

  it('rejects a relation field not referencing the owner', () => {
    const error = definitionErrorOf(`
      type Airport @key(fields: "code") { code: ID! flights: [Flight!]! @relation(field: "carrier") }
      type Flight @key(fields: "id") @table(name: "flights") { id: ID! carrier: String }
    `);

    expect(error.message).toBe('Airport.flights: Flight.carrier must be a reference to Airport.');
  });

  it('accepts a relation whose field references the owner stub', () => {
    const model = readDataProduct(`
      type Airport @key(fields: "code") { code: ID! departures: [Flight!]! @relation(field: "origin") }
      type Flight @key(fields: "id") @table(name: "flights") { id: ID! origin: Airport @reference(column: "origin_code") }
    `);

    expect(model.stubs.get('Airport')?.relations.map((relation) => relation.foreignField)).toEqual(['origin']);
  });
});

describe('pluralize', () => {
  it.each([
    ['Flight', 'flights'],
    ['Category', 'categories'],
    ['Day', 'days'],
    ['Box', 'boxes'],
    ['Batch', 'batches'],
  ])('pluralises %s as %s', (name, plural) => {
    expect(pluralize(name)).toBe(plural);
  });
});
