import { collectionLayout } from '../../../subgraphs/vector/backends/layout.js';

describe('collectionLayout', () => {
  const documents = [
    { id: 'a', text: 'a', metadata: { year: null, state: 'IL', damage: 'None', open: true } },
    { id: 'b', text: 'b', metadata: { year: 2001, state: 'CA', damage: null, open: false } },
  ];

  it('types each declared field by its values', () => {
    expect(collectionLayout('birdstrikes', ['year', 'state', 'open'], documents, 100)).toEqual({
      name: 'birdstrikes',
      dimension: 100,
      metadata: [
        { name: 'year', type: 'number' },
        { name: 'state', type: 'text' },
        { name: 'open', type: 'boolean' },
      ],
    });
  });

  it('types a field without values as text', () => {
    expect(collectionLayout('birdstrikes', ['city'], documents, 100).metadata).toEqual([{ name: 'city', type: 'text' }]);
  });

  it('rejects a field whose values mix types', () => {
    const mixed = [...documents, { id: 'c', text: 'c', metadata: { year: '2002' } }];
    expect(() => collectionLayout('birdstrikes', ['year'], mixed, 100)).toThrow(
      'Metadata field "year" of collection "birdstrikes" is number in document "b" but text in document "c"; a search cluster gives each field one type.',
    );
  });
});
