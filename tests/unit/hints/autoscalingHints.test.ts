import { ConfigError } from '../../../core/config/index.js';
import { AutoscalingHints, type AutoscalingHintsOptions } from '../../../gateway/hints/index.js';

const lake = { capacityPerReplica: 5, minReplicas: 1, maxReplicas: 4 };

function hintsAt(clock: { time: number }, overrides: Partial<AutoscalingHintsOptions> = {}): AutoscalingHints {
  return new AutoscalingHints({
    subgraphs: { lake },
    windowSeconds: 10,
    bucketSeconds: 1,
    stabilizationWindowSeconds: 30,
    clock: () => clock.time,
    ...overrides,
  });
}

describe('AutoscalingHints', () => {
  it('asks for the minimum without load', () => {
    const hints = hintsAt({ time: 0 });

    expect(hints.costPerSecond('lake')).toBe(0);
    expect(hints.desiredReplicas('lake')).toBe(1);
  });

  it('averages cost over the window', () => {
    const clock = { time: 0 };
    const hints = hintsAt(clock);

    hints.record('lake', 120);
    clock.time = 3_500;
    hints.record('lake', 30);

    // (120 + 30) / 10 s
    expect(hints.costPerSecond('lake')).toBe(15);
  });

  it('rises with load at once', () => {
    const clock = { time: 0 };
    const hints = hintsAt(clock);
    expect(hints.desiredReplicas('lake')).toBe(1);

    hints.record('lake', 120);
    const underLoad = hints.desiredReplicas('lake');

    // 120 / 10 s = 12 per second; 12 / 5 per replica = 2.4, so 3 replicas.
    expect(underLoad).toBe(3);
  });

  it('clamps to the maximum', () => {
    const hints = hintsAt({ time: 0 });

    hints.record('lake', 1_000);

    // 100 per second would need 20 replicas.
    expect(hints.desiredReplicas('lake')).toBe(4);
  });

  it('drops cost that left the window', () => {
    const clock = { time: 0 };
    const hints = hintsAt(clock);
    hints.record('lake', 50);

    clock.time = 9_999;
    const inside = hints.costPerSecond('lake');
    clock.time = 10_000;
    const outside = hints.costPerSecond('lake');

    expect(inside).toBe(5);
    expect(outside).toBe(0);
  });

  it('holds the peak through the stabilisation window', () => {
    const clock = { time: 0 };
    const hints = hintsAt(clock);
    hints.record('lake', 120);
    expect(hints.desiredReplicas('lake')).toBe(3);

    clock.time = 12_000;
    const afterLoad = hints.desiredReplicas('lake');
    clock.time = 29_000;
    const endOfWindow = hints.desiredReplicas('lake');
    clock.time = 31_000;
    const pastWindow = hints.desiredReplicas('lake');

    // The recommendation of 3 at 0 s counts until the window of 30 s has passed it.
    expect(afterLoad).toBe(3);
    expect(endOfWindow).toBe(3);
    expect(pastWindow).toBe(1);
  });

  it('falls at once without stabilisation', () => {
    const clock = { time: 0 };
    const hints = hintsAt(clock, { stabilizationWindowSeconds: 0 });
    hints.record('lake', 120);
    expect(hints.desiredReplicas('lake')).toBe(3);

    clock.time = 10_000;

    expect(hints.desiredReplicas('lake')).toBe(1);
  });

  it('follows a second rise within stabilisation', () => {
    const clock = { time: 0 };
    const hints = hintsAt(clock);
    hints.record('lake', 60);
    expect(hints.desiredReplicas('lake')).toBe(2);

    clock.time = 5_000;
    hints.record('lake', 100);

    // (60 + 100) / 10 s = 16 per second: 3.2, so 4.
    expect(hints.desiredReplicas('lake')).toBe(4);
  });

  it('treats an exact multiple of capacity exactly', () => {
    const hints = new AutoscalingHints({
      subgraphs: { vector: { capacityPerReplica: 0.1, minReplicas: 1, maxReplicas: 20 } },
      windowSeconds: 10,
      clock: () => 0,
    });

    hints.record('vector', 11);

    // 11 / 10 s = 1.1 per second at 0.1 per replica: 11 replicas, although 1.1 / 0.1 > 11 in floating point.
    expect(hints.desiredReplicas('vector')).toBe(11);
  });

  it('skips a subgraph without capacity', () => {
    const hints = hintsAt({ time: 0 });

    hints.record('vector', 500);

    expect(hints.subgraphs()).toEqual(['lake']);
    expect(hints.costPerSecond('vector')).toBe(0);
    expect(hints.desiredReplicas('vector')).toBeUndefined();
  });

  it('uses the defaults for a subgraph without capacity', () => {
    const hints = hintsAt({ time: 0 }, { defaults: { capacityPerReplica: 10, minReplicas: 2, maxReplicas: 8 } });

    hints.record('vector', 500);

    // 500 / 10 s = 50 per second at 10 per replica.
    expect(hints.subgraphs()).toEqual(['lake', 'vector']);
    expect(hints.desiredReplicas('vector')).toBe(5);
  });

  it('skips a negative cost', () => {
    const hints = hintsAt({ time: 0 });

    hints.record('lake', 40);
    hints.record('lake', -40);

    expect(hints.costPerSecond('lake')).toBe(4);
  });

  it('reports every subgraph in the snapshot', () => {
    const hints = hintsAt({ time: 0 }, { subgraphs: { lake, warehouse: { capacityPerReplica: 20, minReplicas: 2, maxReplicas: 6 } } });

    hints.record('lake', 70);
    hints.record('warehouse', 500);

    expect(hints.snapshot()).toEqual({
      lake: { costPerSecond: 7, capacityPerReplica: 5, desiredReplicas: 2, minReplicas: 1, maxReplicas: 4, windowSeconds: 10 },
      warehouse: { costPerSecond: 50, capacityPerReplica: 20, desiredReplicas: 3, minReplicas: 2, maxReplicas: 6, windowSeconds: 10 },
    });
  });
});

describe('AutoscalingHints options', () => {
  it('rejects a minimum above the maximum', () => {
    const build = () => new AutoscalingHints({ subgraphs: { lake: { capacityPerReplica: 5, minReplicas: 5, maxReplicas: 2 } } });

    expect(build).toThrow(ConfigError);
    expect(build).toThrow('autoscaling.subgraphs.lake.minReplicas: minReplicas must not exceed maxReplicas; found 5');
  });

  it('rejects a window that is not whole buckets', () => {
    const build = () => new AutoscalingHints({ subgraphs: { lake }, windowSeconds: 10, bucketSeconds: 3 });

    expect(build).toThrow('autoscaling.windowSeconds: windowSeconds must be a multiple of bucketSeconds; found 10');
  });

  it('rejects a capacity of zero', () => {
    const build = () => new AutoscalingHints({ subgraphs: { lake: { ...lake, capacityPerReplica: 0 } } });

    expect(build).toThrow('autoscaling.subgraphs.lake.capacityPerReplica: Too small: expected number to be >0; found 0');
  });

  it('fills the documented defaults', () => {
    const hints = new AutoscalingHints({ subgraphs: { lake } });

    expect(hints.settings.windowSeconds).toBe(60);
    expect(hints.settings.bucketSeconds).toBe(1);
    expect(hints.settings.stabilizationWindowSeconds).toBe(300);
  });
});
