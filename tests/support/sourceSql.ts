import { DuckDBInstance } from '@duckdb/node-api';
import { vegaDatasetPath } from '../../ops/pipeline/sources.js';

/**
 * Runs plain SQL over the vega-datasets source files, independently of the product, so tests can
 * compute the numbers they expect. `{flights}`, `{airports}` and `{birdstrikes}` name the files.
 */
export class SourceSql {
  private constructor(private readonly instance: DuckDBInstance) {}

  static async open(): Promise<SourceSql> {
    return new SourceSql(await DuckDBInstance.create(':memory:'));
  }

  async rows(sql: string): Promise<Record<string, unknown>[]> {
    const text = sql
      .replaceAll('{flights}', `read_parquet('${vegaDatasetPath('flights-3m.parquet')}', file_row_number = true)`)
      .replaceAll('{airports}', `'${vegaDatasetPath('airports.csv')}'`)
      .replaceAll('{birdstrikes}', `'${vegaDatasetPath('birdstrikes.csv')}'`);
    const connection = await this.instance.connect();
    try {
      return (await connection.runAndReadAll(text)).getRowObjectsJson() as Record<string, unknown>[];
    } finally {
      connection.closeSync();
    }
  }

  close(): void {
    this.instance.closeSync();
  }
}
