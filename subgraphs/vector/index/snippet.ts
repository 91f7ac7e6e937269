import { keywordTerms } from './bm25.js';

/** Default maximum snippet length in UTF-16 code units, ellipses included. */
export const SNIPPET_LENGTH = 200;

const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * Returns the sentence of a text that contains the most distinct query terms (the first one on a
 * tie, or the first sentence when none matches). A sentence longer than `maxLength` is cut to a
 * window that starts shortly before its first query term, at word boundaries, marked with "…".
 */
export function createSnippet(text: string, queryTerms: ReadonlySet<string>, maxLength: number = SNIPPET_LENGTH): string {
  const sentences = [...sentenceSegmenter.segment(text)].map((part) => part.segment.trim()).filter((part) => part !== '');
  if (sentences.length === 0) {
    return '';
  }
  let best = sentences[0];
  let bestMatches = 0;
  for (const sentence of sentences) {
    const matches = new Set(keywordTerms(sentence).filter((term) => queryTerms.has(term))).size;
    if (matches > bestMatches) {
      best = sentence;
      bestMatches = matches;
    }
  }
  return best.length <= maxLength ? best : cutWindow(best, queryTerms, maxLength);
}

/** Cuts a window of at most maxLength characters that shows the first query term after a short lead. */
function cutWindow(sentence: string, queryTerms: ReadonlySet<string>, maxLength: number): string {
  const words = [...sentence.matchAll(/\S+/g)];
  const firstMatch = words.find((word) => keywordTerms(word[0]).some((term) => queryTerms.has(term)));
  const lead = Math.floor(maxLength / 4);
  const anchor = firstMatch?.index ?? 0;
  const budget = maxLength - 2;

  const startWord = words.find((word) => (word.index ?? 0) >= anchor - lead) ?? words[0];
  const start = startWord.index ?? 0;
  let end = start;
  for (const word of words) {
    const wordEnd = (word.index ?? 0) + word[0].length;
    if ((word.index ?? 0) >= start && wordEnd - start <= budget) {
      end = wordEnd;
    }
  }
  if (end === start) {
    end = start + budget;
  }
  const prefix = start > 0 ? '…' : '';
  const suffix = end < sentence.length ? '…' : '';
  return `${prefix}${sentence.slice(start, end)}${suffix}`;
}
