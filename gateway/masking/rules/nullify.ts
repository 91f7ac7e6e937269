/** `NULLIFY` (BigQuery's `ALWAYS_NULL`): null, whatever the value. Only valid on nullable fields. */
export function maskNullify(): null {
  return null;
}
