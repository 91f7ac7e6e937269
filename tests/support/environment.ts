import { disableVendorTelemetry } from '../../core/vendorTelemetry.js';

disableVendorTelemetry();
