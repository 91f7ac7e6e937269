/**
 * Switches off the usage telemetry that libraries of the mesh send to their vendors, unless the
 * operator has set the variables, so that a service contacts only the addresses its configuration names.
 *
 * - Apollo Gateway reads `APOLLO_TELEMETRY_DISABLED` when an `ApolloGateway` is constructed.
 *   Without it, the gateway probes cloud metadata endpoints (169.254.169.254 and others) to
 *   describe its host and exports metrics to Apollo.
 * - ONNX Runtime reads `ORT_DISABLE_TELEMETRY` when its environment is created, with the first
 *   inference session. Without it, it looks up Microsoft's event collector.
 *
 * An operator who wants the telemetry sets the variables to `false` and `0` before starting.
 */
export function disableVendorTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  process.env.ORT_DISABLE_TELEMETRY ??= '1';
}
