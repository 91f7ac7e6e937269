/** Names of the types and fields the engine generates for a mapped type `T`. */
export const generatedNames = {
  connection: (type: string) => `${type}Connection`,
  edge: (type: string) => `${type}Edge`,
  filter: (type: string) => `${type}Filter`,
  orderBy: (type: string) => `${type}OrderBy`,
  groupField: (type: string) => `${type}GroupField`,
  groupKey: (type: string) => `${type}GroupKey`,
  aggregateGroup: (type: string) => `${type}AggregateGroup`,
  sums: (type: string) => `${type}Sums`,
  averages: (type: string) => `${type}Averages`,
  minimums: (type: string) => `${type}Minimums`,
  maximums: (type: string) => `${type}Maximums`,
  aggregateField: (listField: string) => `${listField}Aggregate`,
  scalarFilter: (scalar: string) => `${scalar}Filter`,
  lookupField: (type: string) => type[0].toLowerCase() + type.slice(1),
};
