import { positionAt } from './sourceLocation.js';

/** A field coordinate or classification tag named in a policy file, with its position. */
export interface PolicyReference {
  kind: 'coordinate' | 'tag';
  value: string;
  file: string;
  line: number;
  column: number;
}

const FIELD_LITERAL = /MeshGate::Field::"((?:[^"\\]|\\.)*)"/g;

/**
 * Tag expressions: `resource.tags.contains("x")`, `.containsAny([...])`, `.containsAll([...])`,
 * `[...].containsAll(resource.tags)` and `resource.tags == [...]`. Group 1 holds the literal side.
 */
const TAG_EXPRESSIONS = [
  /resource\.tags\.contains(?:Any|All)?\(\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\])/g,
  /(\[[^\]]*\])\s*\.contains(?:Any|All)\(\s*resource\.tags\s*\)/g,
  /resource\.tags\s*==\s*(\[[^\]]*\])/g,
];

const STRING_LITERAL = /"((?:[^"\\]|\\.)*)"/g;

/** Finds the field coordinates (`MeshGate::Field::"Type.field"`) and tags that a policy file names. */
export function findPolicyReferences(file: string, text: string): PolicyReference[] {
  const source = blankComments(text);
  const references: PolicyReference[] = [];

  for (const match of source.matchAll(FIELD_LITERAL)) {
    references.push({ kind: 'coordinate', value: match[1], file, ...positionAt(text, match.index) });
  }
  for (const expression of TAG_EXPRESSIONS) {
    for (const match of source.matchAll(expression)) {
      const literalStart = match.index + match[0].indexOf(match[1]);
      for (const tag of match[1].matchAll(STRING_LITERAL)) {
        references.push({ kind: 'tag', value: tag[1], file, ...positionAt(text, literalStart + tag.index) });
      }
    }
  }
  return references.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Replaces `//` comments with spaces so that offsets stay those of the original text. */
function blankComments(text: string): string {
  return text.replace(/\/\/[^\n]*/g, (comment) => ' '.repeat(comment.length));
}
