/**
 * User text → a safe Lucene query for the full-text indexes (migrations.ts). Nothing the user
 * types reaches Lucene's query parser as syntax: the text is cut into words of letters and
 * digits only, so operators, field names, wildcards, ranges, regular expressions, quotes and
 * escapes are gone before the query is built, and the words are lower-cased so that `AND`,
 * `OR` and `NOT` are plain words.
 *
 * The indexes use the `standard-folding` analyzer (lower case, accents folded, English stop
 * words dropped). Fuzzy terms (`word~1`) are not analysed like plain ones, so this module folds
 * them itself and drops the analyzer's stop words: a fuzzy `the~1` would otherwise demand a
 * word near "the" that the index never holds.
 */

/** The stop words of the `standard-folding` analyzer (db.index.fulltext.listAvailableAnalyzers). */
export const ANALYZER_STOP_WORDS: ReadonlySet<string> = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(' '),
);

/** At most this many words are searched; more only slow the query down. */
export const MAX_QUERY_WORDS = 12;
/** Longer "words" are cut: no name, number or identifier is this long. */
const MAX_WORD_LENGTH = 64;

/** Letters that Unicode does not decompose but ASCII folding maps, as the index does. */
const FOLDED: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', þ: 'th', ł: 'l', ı: 'i' };

/** Lower case, accents removed: "Pérez" and "PEREZ" fold alike. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøđðþłı]/g, (letter) => FOLDED[letter] ?? letter);
}

/** The words of a text, folded: runs of letters and digits; everything else separates. */
export function words(text: string): string[] {
  return (foldText(text).match(/[\p{L}\p{N}]+/gu) ?? []).map((word) => word.slice(0, MAX_WORD_LENGTH));
}

/** A typo is tolerated in words of three characters or more that are not plain numbers. */
function term(word: string): string {
  return word.length >= 3 && !/^\p{N}+$/u.test(word) ? `${word}~1` : word;
}

/**
 * The Lucene query for a search: every word must match (one typo allowed per word), or the
 * whole text run together must match a stored number key ("X12-345 67" finds X1234567).
 * Null when the text holds no searchable word.
 */
export function searchQuery(text: string): string | null {
  const all = words(text);
  const searchable = [...new Set(all.filter((word) => !ANALYZER_STOP_WORDS.has(word)))].slice(0, MAX_QUERY_WORDS);
  if (searchable.length === 0) return null;
  const together = searchable.map(term).join(' AND ');
  const compact = all.join('').slice(0, MAX_WORD_LENGTH);
  return all.length > 1 && /\p{N}/u.test(compact) ? `(${together}) OR ${compact}` : together;
}

/**
 * Candidate retrieval for name screening: any of the name's words, each with one typo. The
 * candidates are then matched word by word in memory (identity.ts), which decides.
 */
export function nameCandidatesQuery(name: string): string | null {
  const parts = [...new Set(words(name))].slice(0, MAX_QUERY_WORDS);
  return parts.length ? parts.map(term).join(' OR ') : null;
}
