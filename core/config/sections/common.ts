import { z } from 'zod';

/** A URL of a service the mesh sends requests to; only http and https can carry them. */
export const serviceUrl = z.url({
  protocol: /^https?$/,
  error: (issue) => (issue.code === 'invalid_format' ? 'expected an http:// or https:// URL' : undefined),
});

/**
 * The name of the environment variable that contains a secret. The name rule rejects a secret pasted
 * in place of the name, which an error would otherwise repeat as a variable that is not set.
 */
export const environmentVariableName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected the name of an environment variable (letters, digits and _), not its value');
