import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, type ConstDirectiveNode, type ObjectTypeDefinitionNode } from 'graphql';

export const VECTOR_SDL_FILE = path.join(__dirname, 'schema.graphql');

/** A collection as `@collection` declares it on the entity type its documents point to. */
export interface CollectionDeclaration {
  readonly name: string;
  /** Source fields joined into a document's text. */
  readonly text: readonly string[];
  /** Metadata fields `where` can filter on. */
  readonly metadata: readonly string[];
  /** The entity type, such as `Airport`. */
  readonly entity: string;
  /** The entity's `@key` field, kept as metadata so a hit becomes a representation. */
  readonly key: string;
}

export function readVectorSdl(): string {
  return readFileSync(VECTOR_SDL_FILE, 'utf8');
}

/**
 * Reads the `@collection` declarations of the vector SDL, in declaration order.
 *
 * @throws Error naming the type when it has `@collection` without a single-field `@key`.
 */
export function readCollections(sdl: string = readVectorSdl()): CollectionDeclaration[] {
  const declarations: CollectionDeclaration[] = [];
  for (const definition of parse(sdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) {
      continue;
    }
    const directive = findDirective(definition, 'collection');
    if (directive !== undefined) {
      declarations.push({
        name: stringArgument(directive, 'name'),
        text: listArgument(directive, 'text'),
        metadata: listArgument(directive, 'metadata'),
        entity: definition.name.value,
        key: keyField(definition),
      });
    }
  }
  return declarations;
}

function findDirective(definition: ObjectTypeDefinitionNode, name: string): ConstDirectiveNode | undefined {
  return definition.directives?.find((directive) => directive.name.value === name);
}

function keyField(definition: ObjectTypeDefinitionNode): string {
  const key = findDirective(definition, 'key');
  const fields = key === undefined ? '' : stringArgument(key, 'fields');
  if (!/^\w+$/.test(fields)) {
    throw new Error(`Type ${definition.name.value} has @collection, so it needs @key with a single field, but has "${fields}".`);
  }
  return fields;
}

function stringArgument(directive: ConstDirectiveNode, name: string): string {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : '';
}

function listArgument(directive: ConstDirectiveNode, name: string): string[] {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  if (value?.kind !== Kind.LIST) {
    return [];
  }
  return value.values.flatMap((item) => (item.kind === Kind.STRING ? [item.value] : []));
}
