import { errors } from '../../../core/errors/index.js';
import type { Metadata, MetadataFilter, MetadataValue, NumberRange } from './types.js';

const RANGE_BOUNDS = ['gt', 'gte', 'lt', 'lte'] as const;

/** Throws `INVALID_FILTER` unless each filter has exactly one operator and finite range bounds. */
export function validateFilters(filters: readonly MetadataFilter[]): void {
  for (const filter of filters) {
    const operators = (['eq', 'in', 'range'] as const).filter((name) => filter[name] !== undefined);
    if (operators.length !== 1) {
      throw errors.INVALID_FILTER.error(
        `Filter on "${filter.field}" must have exactly one of eq, in or range, but has ${operators.length}.`,
      );
    }
    if (filter.range !== undefined) {
      validateRange(filter.field, filter.range);
    }
  }
}

function validateRange(field: string, range: NumberRange): void {
  for (const bound of RANGE_BOUNDS) {
    const value = range[bound];
    if (value !== undefined && !Number.isFinite(value)) {
      throw errors.INVALID_FILTER.error(`Range filter on "${field}" has ${bound} ${String(value)}, but bounds must be finite numbers.`);
    }
  }
}

/** Tells whether a document's metadata satisfies every filter; an absent field is null. */
export function matchesFilters(metadata: Metadata, filters: readonly MetadataFilter[]): boolean {
  return filters.every((filter) => matchesFilter(metadata[filter.field] ?? null, filter));
}

function matchesFilter(value: MetadataValue, filter: MetadataFilter): boolean {
  if (filter.in !== undefined) {
    return filter.in.includes(value);
  }
  if (filter.range !== undefined) {
    return typeof value === 'number' && inRange(value, filter.range);
  }
  return value === filter.eq;
}

function inRange(value: number, range: NumberRange): boolean {
  return (
    (range.gt === undefined || value > range.gt) &&
    (range.gte === undefined || value >= range.gte) &&
    (range.lt === undefined || value < range.lt) &&
    (range.lte === undefined || value <= range.lte)
  );
}
