import { z } from 'zod';
import { environmentVariableName, serviceUrl } from './common.js';

/** Options that each name a source of credentials. A configuration sets exactly one of them. */
const CREDENTIAL_OPTIONS = ['keyFile', 'credentialsEnv', 'accessTokenEnv'] as const;

const identifier = z.string().min(1);

/**
 * A BigQuery project as the backend of data products, reached through `@google-cloud/bigquery`
 * with GoogleSQL query jobs. Credentials never appear in the configuration: it names the key file
 * or the environment variable that contains them. Application Default Credentials (the metadata
 * server, `GOOGLE_APPLICATION_CREDENTIALS`) are not used.
 */
export const bigQueryBackendSchema = z
  .object({
    kind: z.literal('bigquery'),
    /** Project that runs the query jobs and is billed for them. */
    projectId: identifier,
    /** Default dataset of the query jobs: the one holding the data product's tables. */
    dataset: identifier,
    /** Location of the jobs, which must be the dataset's: a multi-region (`US`, `EU`) or a region (`europe-west3`). */
    location: identifier.default('US'),
    /**
     * Maximum bytes one query may bill, as a string of digits because the limit can pass 2^53.
     * BigQuery fails a query that would bill more before it runs (`bytesBilledLimitExceeded`).
     */
    maximumBytesBilled: z.string().regex(/^\d+$/, 'expected a whole number of bytes as a string of digits').optional(),
    /** Service-account key file (JSON, as the Google Cloud console downloads it). */
    keyFile: identifier.optional(),
    /** Environment variable holding a service-account key as JSON text. */
    credentialsEnv: environmentVariableName.optional(),
    /**
     * Environment variable holding an OAuth 2.0 access token, sent as it is and never refreshed.
     * Meant for tests and for tokens that another process renews.
     */
    accessTokenEnv: environmentVariableName.optional(),
    /**
     * Base URL of the BigQuery REST API, `https://bigquery.googleapis.com` or a private endpoint.
     * Requests go to `<apiEndpoint>/bigquery/v2`. It is required, so the backend contacts only a configured address.
     */
    apiEndpoint: serviceUrl,
    /** Maximum rows per page of results (`maxResults`). BigQuery may return fewer per page. */
    pageSize: z.number().int().min(1).default(10_000),
    /**
     * Time allowed for one statement, from creating its job to reading its last page, in
     * milliseconds. BigQuery stops the job at the same limit (`jobTimeoutMs`), and the backend
     * also requests the cancellation of a job it stopped waiting for.
     */
    timeoutMs: z.number().int().min(1).default(60_000),
    /**
     * Retries of a request that failed with HTTP 408, 429 or 5xx or a rate-limit reason, with
     * exponential backoff within `timeoutMs`. 0 turns retries off.
     */
    maxRetries: z.number().int().min(0).default(3),
  })
  .strict()
  .superRefine((value, context) => {
    const set = CREDENTIAL_OPTIONS.filter((option) => value[option] !== undefined);
    if (set.length === 0) {
      context.addIssue({
        code: 'custom',
        path: ['keyFile'],
        message: 'set one of keyFile, credentialsEnv or accessTokenEnv to name the credentials',
      });
    }
    for (const option of set.slice(1)) {
      context.addIssue({
        code: 'custom',
        path: [option],
        message: `${set[0]} already names the credentials; remove ${option}`,
      });
    }
  });

/** A validated BigQuery backend configuration, defaults filled. */
export type BigQueryBackendConfig = z.infer<typeof bigQueryBackendSchema>;
