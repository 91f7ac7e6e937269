import type { SqlDialect } from './dialect.js';

/** A SQL text with positional parameters, written by a dialect; only this shape reaches a backend. */
export interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** Quotes a string literal, for paths from configuration in view definitions. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Collects parameter values while a statement is built; each value is cast to its column's type. */
export class ParameterList {
  readonly values: unknown[] = [];

  constructor(private readonly dialect: SqlDialect) {}

  /** Adds a value and returns its placeholder, cast to `sqlType` so comparisons use the column's type. */
  add(value: unknown, sqlType: string): string {
    this.values.push(value);
    return this.dialect.parameter(this.values.length, sqlType);
  }
}
