import type { SqlDialect } from './sql/dialect.js';
import type { Statement } from './sql/statement.js';

/**
 * A result row in the engine's row form, the same from every backend, so that no value is rounded
 * or shifted on its way to the GraphQL scalars:
 * - integers: a safe JS integer or a decimal string (`"9223372036854775807"`), never an unsafe number;
 * - floating point: a JS number; exact decimals (NUMERIC, NUMBER(p,s)): a decimal string without exponent;
 * - DATE: `YYYY-MM-DD`; timestamps without zone: `YYYY-MM-DD HH:MM:SS[.ffffff]`;
 *   instants: ISO 8601 with `Z` or an offset, keeping microseconds;
 * - semi-structured values (JSON, VARIANT): their JSON text, with every number as the service sent it;
 * - booleans and strings as such; SQL NULL as null.
 */
export type Row = Record<string, unknown>;

/** Operations the data-product engine needs from a SQL backend. */
export interface SqlBackend {
  readonly kind: 'duckdb' | 'bigquery' | 'snowflake';
  readonly dialect: SqlDialect;
  /** Number of statements run so far, for checking batching in tests and benchmarks. */
  readonly statementsRun: number;
  /**
   * Runs one statement, with `params[i]` bound to the placeholder `dialect.parameter(i + 1, …)`,
   * and returns all its rows in the row form, every result page read.
   *
   * @throws BACKEND_QUERY_FAILED (or DATASET_READ_FAILED for a bad value in a lake file); the
   *   backend's own message is logged with the statement, never the parameter values.
   */
  query(statement: Statement): Promise<Row[]>;
  /** Column names and backend type names (as `CAST` accepts them) of `SELECT * FROM <from>`. */
  describe(from: string): Promise<Map<string, string>>;
  /** Calls `listener` with every statement before it runs; returns a function that removes it. */
  onStatement(listener: (statement: Statement) => void): () => void;
  close(): Promise<void>;
}

/**
 * Counts the statements a backend runs and calls the listeners with each before it runs, the part
 * of `SqlBackend` that is the same for every backend.
 */
export class StatementLog {
  private readonly listeners: Array<(statement: Statement) => void> = [];
  private count = 0;

  get statementsRun(): number {
    return this.count;
  }

  onStatement(listener: (statement: Statement) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  /** Counts `statement` and passes it to every listener. */
  record(statement: Statement): void {
    this.count += 1;
    for (const listener of this.listeners) listener(statement);
  }
}
