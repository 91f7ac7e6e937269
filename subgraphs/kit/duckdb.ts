import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { errors } from '../../core/errors/index.js';
import type { Logger } from '../../core/logger.js';
import { StatementLog, type Row, type SqlBackend } from './backend.js';
import { duckDbDialect } from './sql/dialect.js';
import type { Statement } from './sql/statement.js';

export interface DuckDbBackendOptions {
  /** Database file, or `:memory:`. */
  readonly path: string;
  readonly readOnly?: boolean;
  /** Connections kept open for concurrent queries. */
  readonly connections?: number;
  readonly logger: Logger;
  /** Statements run once on every connection, for example views over lake files. */
  readonly setup?: readonly string[];
}

/**
 * Runs parameterised statements on an embedded DuckDB database through a small pool of connections.
 * Every connection works in UTC, so TIMESTAMPTZ values never depend on the server's TZ. DuckDB's
 * JSON row conversion already gives the engine's row form: 64-bit integers, decimals and
 * timestamps as text.
 */
export class DuckDbBackend implements SqlBackend {
  readonly kind = 'duckdb';
  readonly dialect = duckDbDialect;
  private readonly idle: DuckDBConnection[] = [];
  private readonly waiting: Array<(connection: DuckDBConnection) => void> = [];
  private readonly log = new StatementLog();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly logger: Logger,
  ) {}

  static async open(options: DuckDbBackendOptions): Promise<DuckDbBackend> {
    const instance = await DuckDBInstance.create(options.path, options.readOnly ? { access_mode: 'READ_ONLY' } : {});
    const backend = new DuckDbBackend(instance, options.logger);
    const size = options.connections ?? 4;
    for (let i = 0; i < size; i += 1) {
      const connection = await instance.connect();
      await connection.run("SET TimeZone = 'UTC'");
      for (const statement of options.setup ?? []) await connection.run(statement);
      backend.idle.push(connection);
    }
    return backend;
  }

  get statementsRun(): number {
    return this.log.statementsRun;
  }

  onStatement(listener: (statement: Statement) => void): () => void {
    return this.log.onStatement(listener);
  }

  /**
   * Runs one statement and returns its rows in DuckDB's JSON form.
   *
   * @throws DATASET_READ_FAILED when a file contains a value that does not fit the pinned schema,
   *   BACKEND_QUERY_FAILED for any other backend error (logged with the statement, not the values).
   */
  async query(statement: Statement): Promise<Row[]> {
    const connection = await this.acquire();
    this.log.record(statement);
    const started = performance.now();
    try {
      const reader = await connection.runAndReadAll(statement.sql, statement.params as never);
      const rows = reader.getRowObjectsJson() as Row[];
      this.logger.debug({ sql: statement.sql, rows: rows.length, ms: Math.round(performance.now() - started) }, 'statement run');
      return rows;
    } catch (error) {
      throw this.translate(error as Error, statement);
    } finally {
      this.release(connection);
    }
  }

  /** Column names and DuckDB types of `SELECT * FROM <from>`. */
  async describe(from: string): Promise<Map<string, string>> {
    const rows = await this.query({ sql: `DESCRIBE SELECT * FROM ${from}`, params: [] });
    return new Map(rows.map((row) => [String(row.column_name), String(row.column_type)]));
  }

  async close(): Promise<void> {
    for (const connection of this.idle.splice(0)) connection.closeSync();
    this.instance.closeSync();
  }

  private translate(error: Error, statement: Statement): Error {
    const conversion = parseCsvConversionError(error.message);
    if (conversion) {
      this.logger.error({ file: conversion.file, line: conversion.line, column: conversion.column }, 'dataset value does not fit its pinned type');
      return errors.DATASET_READ_FAILED.error(
        `File ${conversion.file}, line ${conversion.line}, column "${conversion.column}": ${conversion.detail}. ` +
          'Fix the file or change the pinned column type in its _dataset.json.',
        { file: conversion.file, line: conversion.line, column: conversion.column },
      );
    }
    this.logger.error({ err: error, sql: statement.sql }, 'backend statement failed');
    return errors.BACKEND_QUERY_FAILED.error('The backend failed to run the query; the subgraph log has the details.');
  }

  private acquire(): Promise<DuckDBConnection> {
    const connection = this.idle.pop();
    if (connection) return Promise.resolve(connection);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(connection: DuckDBConnection): void {
    const next = this.waiting.shift();
    if (next) next(connection);
    else this.idle.push(connection);
  }
}

/** Extracts from DuckDB's CSV conversion error what a user needs: file, line, column and the value. */
export function parseCsvConversionError(message: string): { file: string; line: number; column: string; detail: string } | undefined {
  const line = /CSV Error on Line: (\d+)/.exec(message);
  const column = /Error when converting column "([^"]+)"\. ([^\n]+)/.exec(message);
  const file = /file = (.+)/.exec(message);
  if (!line || !column || !file) return undefined;
  const detail = column[2].replace(/^Could not convert/, 'cannot convert').replace(/\.$/, '');
  return { file: file[1].trim(), line: Number(line[1]), column: column[1], detail };
}
