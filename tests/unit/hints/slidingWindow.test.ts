import { SlidingWindow } from '../../../gateway/hints/slidingWindow.js';

describe('SlidingWindow', () => {
  it('matches a brute-force sum over random events', () => {
    const window = new SlidingWindow(5, 1);
    const events: { time: number; value: number }[] = [];
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };

    let time = 0;
    for (let step = 0; step < 200; step += 1) {
      time += Math.floor(random() * 1_500);
      const value = Math.floor(random() * 100);
      window.add(value, time);
      events.push({ time, value });

      // The window covers the buckets of whole seconds floor(t) - 4 to floor(t).
      const current = Math.floor(time / 1000);
      const expected = events
        .filter((event) => Math.floor(event.time / 1000) > current - 5)
        .reduce((total, event) => total + event.value, 0);
      expect(window.sum(time)).toBe(expected);
    }
  });

  it('forgets a bucket reused by a later second', () => {
    const window = new SlidingWindow(2, 1);

    window.add(10, 0);
    window.add(1, 2_000);

    expect(window.sum(2_000)).toBe(1);
  });
});
