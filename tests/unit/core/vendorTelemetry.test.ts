import { disableVendorTelemetry } from '../../../core/vendorTelemetry.js';

describe('disableVendorTelemetry', () => {
  const saved = { apollo: process.env.APOLLO_TELEMETRY_DISABLED, ort: process.env.ORT_DISABLE_TELEMETRY };

  afterEach(() => {
    process.env.APOLLO_TELEMETRY_DISABLED = saved.apollo;
    process.env.ORT_DISABLE_TELEMETRY = saved.ort;
  });

  it('turns both switches on when unset', () => {
    delete process.env.APOLLO_TELEMETRY_DISABLED;
    delete process.env.ORT_DISABLE_TELEMETRY;

    disableVendorTelemetry();

    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
    expect(process.env.ORT_DISABLE_TELEMETRY).toBe('1');
  });

  it("keeps an operator's own choice", () => {
    process.env.APOLLO_TELEMETRY_DISABLED = 'false';

    disableVendorTelemetry();

    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('false');
  });

  it('is on in every test process', () => {
    expect(saved).toEqual({ apollo: 'true', ort: '1' });
  });
});
