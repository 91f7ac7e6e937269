import { canonicalJson, requestLoader } from '../../../subgraphs/kit/loaders.js';
import DataLoader from 'dataloader';

describe('canonicalJson', () => {
  it('sorts object keys at every depth', () => {
    expect(canonicalJson({ seq: 2, flight: { id: 'f01', carrier: 'AA' } })).toBe('{"flight":{"carrier":"AA","id":"f01"},"seq":2}');
  });

  it('gives one text for two field orders', () => {
    expect(canonicalJson({ flightId: 'f01', seq: 2 })).toBe(canonicalJson({ seq: 2, flightId: 'f01' }));
  });

  it('keeps array order', () => {
    expect(canonicalJson([{ b: 1, a: 2 }, 3])).toBe('[{"a":2,"b":1},3]');
  });

  it('writes undefined as null', () => {
    expect(canonicalJson(undefined)).toBe('null');
  });
});

describe('requestLoader', () => {
  const create = () => new DataLoader<string, string, string>(async (keys) => keys.map((key) => key.toUpperCase()));

  it('returns the same loader for one context and id', () => {
    const context = {};

    expect(requestLoader(context, 'flights', create)).toBe(requestLoader(context, 'flights', create));
  });

  it('creates separate loaders for separate contexts', () => {
    expect(requestLoader({}, 'flights', create)).not.toBe(requestLoader({}, 'flights', create));
  });
});
