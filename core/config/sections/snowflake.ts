import { z } from 'zod';
import { environmentVariableName, serviceUrl } from './common.js';

/** Credential options of each authentication method. A configuration may not mix in the other method's options. */
const CREDENTIAL_OPTIONS = {
  password: ['passwordEnv'],
  keypair: ['privateKeyFile', 'privateKeyPassphraseEnv'],
} as const;

/** The option each authentication method cannot work without. */
const REQUIRED_CREDENTIAL = { password: 'passwordEnv', keypair: 'privateKeyFile' } as const;

const identifier = z.string().min(1);

/**
 * A Snowflake warehouse as the backend of data products, reached through `snowflake-sdk` with
 * password or key-pair (JWT) authentication. Credentials never appear in the configuration: it
 * names the environment variables and the key file that hold them.
 */
export const snowflakeBackendSchema = z
  .object({
    kind: z.literal('snowflake'),
    /** Account identifier, for example `myorg-myaccount`, which the login sends as `ACCOUNT_NAME`. */
    account: identifier,
    /** Login name of the Snowflake user. */
    username: identifier,
    warehouse: identifier,
    /** Role of the session. Without it the user's default role applies. */
    role: identifier.optional(),
    database: identifier,
    schema: identifier,
    /**
     * Spelling of the SDL's table names in the schema: `upper` as Snowflake stores unquoted names
     * (`airports` is read as `AIRPORTS`), `exact` for tables created with quoted names. Column
     * names are matched either way, by their exact spelling or else ignoring case.
     */
    tableNameCase: z.enum(['upper', 'exact']).default('upper'),
    /** `password` (Snowflake's default authenticator) or `keypair` (`SNOWFLAKE_JWT`). */
    authenticator: z.enum(['password', 'keypair']).default('password'),
    /** Environment variable holding the password; required by `password`. */
    passwordEnv: environmentVariableName.optional(),
    /** PEM file of the private key, encrypted or not; required by `keypair`. */
    privateKeyFile: identifier.optional(),
    /** Environment variable holding the passphrase of an encrypted `privateKeyFile`. */
    privateKeyPassphraseEnv: environmentVariableName.optional(),
    /**
     * Base URL of the Snowflake service, such as `https://myorg-myaccount.snowflakecomputing.com`
     * or a private-link URL. It is required, so the backend contacts only a configured address.
     */
    accessUrl: serviceUrl,
    /** Maximum number of open sessions. Each statement takes one for its whole run. */
    poolSize: z.number().int().min(1).default(4),
    /**
     * Time allowed for one statement, from sending it to reading its last row, in milliseconds.
     * After it the statement is cancelled. Waiting for a free session, a login included, has the
     * same limit.
     */
    timeoutMs: z.number().int().min(1).default(60_000),
  })
  .strict()
  .superRefine((value, context) => {
    const required = REQUIRED_CREDENTIAL[value.authenticator];
    if (value[required] === undefined) {
      context.addIssue({ code: 'custom', path: [required], message: `set ${required} when authenticator is ${value.authenticator}` });
    }

    const otherMethod = value.authenticator === 'password' ? 'keypair' : 'password';
    for (const option of CREDENTIAL_OPTIONS[otherMethod]) {
      if (value[option] === undefined) continue;
      context.addIssue({
        code: 'custom',
        path: [option],
        message: `${option} is used only with authenticator ${otherMethod}; remove it or set authenticator to ${otherMethod}`,
      });
    }
  });

/** A validated Snowflake backend configuration, defaults filled. */
export type SnowflakeBackendConfig = z.infer<typeof snowflakeBackendSchema>;
