import { z } from 'zod';

/**
 * The `auth` section: how the gateway verifies bearer tokens. Without `jwksUrl` or `jwksFile`, the
 * gateway verifies with the development key set `<dataDir>/keys/jwks.json`, which it generates on
 * first start; a production config that points at that key set fails at startup.
 */
export const authConfigSchema = z
  .object({
    /** File holding the JSON Web Key Set; default `<dataDir>/keys/jwks.json`, resolved at startup. */
    jwksFile: z.string().min(1).optional(),
    /** URL of the identity provider's JSON Web Key Set. */
    jwksUrl: z.url().optional(),
    /** Expected `iss` claim. */
    issuer: z.string().min(1).default('meshgate-dev'),
    /** Expected `aud` claim. */
    audience: z.string().min(1).default('meshgate'),
    /** Principal attribute → claim path (dots separate nested claims); default maps the Cedar schema's attributes. */
    claimsToAttributes: z.record(z.string().min(1), z.string().min(1)).optional(),
    /** Allowed clock difference for `exp` and `nbf`, in seconds. */
    clockToleranceSeconds: z.number().int().min(0).max(300).default(30),
  })
  .strict()
  .refine((value) => value.jwksFile === undefined || value.jwksUrl === undefined, {
    message: 'set at most one of jwksFile and jwksUrl',
    path: ['jwksFile'],
  });

/** The `governance` section: where the Cedar policies live and how masking runs. */
export const governanceConfigSchema = z
  .object({
    /** Folder holding `schema.cedarschema` and the `*.cedar` policies. */
    policiesDir: z.string().min(1).default('policies'),
    /** HMAC key of the `KEYED_SHA256` mask rule; required when a field uses that rule. */
    hmacSecret: z.string().min(16).optional(),
    /** Reload the policies when a file of `policiesDir` changes, without a restart. */
    watchPolicies: z.boolean().default(true),
  })
  .strict();

export type AuthConfig = z.infer<typeof authConfigSchema>;
export type GovernanceConfig = z.infer<typeof governanceConfigSchema>;
