import { FlightFeatureEncoder } from '../../../subgraphs/inference/flightDelay/features.js';

/** Three airports with their own column: rows are 24 + 7 + 12 + 1 + 2 × (3 + 1) = 52 wide. */
const encoder = new FlightFeatureEncoder({ airports: ['ORD', 'ATL', 'DFW'], distanceMean: 1000, distanceStandardDeviation: 400 });

/** Lists the non-zero columns of a row with their values. */
function nonZero(row: Float32Array): Array<[number, number]> {
  return Array.from(row.entries()).filter(([, value]) => value !== 0);
}

describe('FlightFeatureEncoder', () => {
  it('is 52 columns wide for three airports', () => {
    expect(encoder.width).toBe(52);
  });

  it('encodes a known flight', () => {
    // Monday 5 March 2001, 14h, 900 miles, DFW → BOS.
    const row = encoder.encode([{ date: '2001-03-05T14:20:00', distance: 900, origin: 'DFW', destination: 'BOS' }]);

    expect(row).toHaveLength(52);
    expect(nonZero(row)).toEqual([
      [14, 1], // hour 14
      [25, 1], // 24 + Monday (1)
      [33, 1], // 31 + March (2)
      [43, -0.25], // (900 − 1000) / 400
      [46, 1], // 44 + DFW (2)
      [51, 1], // 44 + 4 + other (3)
    ]);
  });

  it('encodes a missing distance as the mean', () => {
    // Saturday 29 December 2001, 0h, no distance, other → ORD.
    const row = encoder.encode([{ date: '2001-12-29 00:05:00', distance: null, origin: 'SEA', destination: 'ORD' }]);

    expect(nonZero(row)).toEqual([
      [0, 1],
      [30, 1],
      [42, 1],
      [47, 1],
      [48, 1],
    ]);
  });

  it('places each flight in its own row', () => {
    const rows = encoder.encode([
      { date: '2001-03-05T14:20:00', distance: 1000, origin: 'ORD', destination: 'ATL' },
      { date: '2001-03-05T14:20:00', distance: 1000, origin: 'ATL', destination: 'ORD' },
    ]);

    expect(rows).toHaveLength(104);
    expect(rows[44]).toBe(1);
    expect(rows[49]).toBe(1);
    expect(rows[52 + 45]).toBe(1);
    expect(rows[52 + 48]).toBe(1);
  });

  it('rejects a date without a time of day', () => {
    expect(() => encoder.encode([{ date: '2001-03-05', distance: 900, origin: 'ORD', destination: 'ATL' }])).toThrow(
      'Flight date "2001-03-05" is not a local date-time such as 2001-01-14T05:40:00.',
    );
  });
});
