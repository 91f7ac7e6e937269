/**
 * The text analysis shared by the word-vector embeddings and the BM25 keyword index, so that a
 * query term and a document term are the same string in both.
 *
 * Word boundaries follow the spirit of Unicode word segmentation (UAX #29): punctuation and
 * whitespace separate tokens, an apostrophe or hyphen between two letters stays inside the token,
 * and a decimal number such as `3.5` or `1,000` is one token.
 */

const WORD_PATTERN = /\p{N}+(?:[.,]\p{N}+)+|[\p{L}\p{N}\p{M}]+(?:['-][\p{L}\p{N}\p{M}]+)*/gu;

const APOSTROPHE_VARIANTS = /[\u2018\u2019\u02bc\u2032\uff07]/g;
const HYPHEN_VARIANTS = /[\u2010\u2011]/g;
const LATIN_COMBINING_MARKS = /(\p{Script=Latin})\p{M}+/gu;

/**
 * English contractions expanded to their words. The GloVe-derived vocabulary has no token with an
 * apostrophe, so "don't" must become "do" and "not" to have a vector at all.
 */
const IRREGULAR_NEGATIONS: Readonly<Record<string, string>> = { "can't": 'can', "won't": 'will', "shan't": 'shall' };
const CONTRACTION_SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  ["n't", 'not'],
  ["'re", 'are'],
  ["'ve", 'have'],
  ["'ll", 'will'],
  ["'d", 'would'],
  ["'m", 'am'],
];

/**
 * Splits a text into lowercase word tokens.
 *
 * Diacritics on Latin letters are folded ("café" becomes "cafe"), possessive `'s` is removed,
 * contractions are expanded ("they're" becomes "they", "are"), other apostrophes are dropped
 * ("o'clock" becomes "oclock") and hyphenated compounds such as "state-of-the-art" stay whole;
 * `splitCompound` returns their parts.
 */
export function tokenize(text: string): string[] {
  const normalized = normalizeText(text);
  const tokens: string[] = [];

  for (const match of normalized.matchAll(WORD_PATTERN)) {
    tokens.push(...expandApostrophes(match[0]));
  }
  return tokens;
}

/** Returns the parts of a hyphenated compound, or the token alone when it has no hyphen. */
export function splitCompound(token: string): string[] {
  return token.includes('-') ? token.split('-') : [token];
}

function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(LATIN_COMBINING_MARKS, '$1')
    .normalize('NFC')
    .toLowerCase()
    .replace(APOSTROPHE_VARIANTS, "'")
    .replace(HYPHEN_VARIANTS, '-');
}

function expandApostrophes(token: string): string[] {
  if (!token.includes("'")) {
    return [token];
  }
  const irregular = IRREGULAR_NEGATIONS[token];
  if (irregular !== undefined) {
    return [irregular, 'not'];
  }
  for (const [suffix, word] of CONTRACTION_SUFFIXES) {
    if (token.endsWith(suffix) && token.length > suffix.length) {
      return [token.slice(0, -suffix.length).replaceAll("'", ''), word];
    }
  }
  const withoutPossessive = token.endsWith("'s") ? token.slice(0, -2) : token;
  return [withoutPossessive.replaceAll("'", '')];
}
