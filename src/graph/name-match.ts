import { words } from './search-text';

/**
 * Name matching for person screening and duplicate checks, decided in memory on the few
 * candidates the full-text index returns. Names are compared word by word after folding case
 * and accents (search-text.ts), in any order, with one typo per word (one insertion, deletion,
 * substitution or swap of neighbouring letters) in words of three letters or more.
 */

/** Optimal string alignment distance ≤ 1, without building the matrix. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  return shorter.slice(i) === longer.slice(i + 1); // insertion or deletion
}

function wordsMatch(a: string, b: string): boolean {
  return a.length < 3 || b.length < 3 ? a === b : withinOneEdit(a, b);
}

/** Each of `few` paired with a different word of `many` (augmenting paths; names are short). */
function everyWordPaired(few: string[], many: string[]): boolean {
  const pairedWith = new Array<number>(many.length).fill(-1);
  const place = (f: number, seen: boolean[]): boolean => {
    for (let m = 0; m < many.length; m += 1) {
      if (seen[m] || !wordsMatch(few[f], many[m])) continue;
      seen[m] = true;
      if (pairedWith[m] === -1 || place(pairedWith[m], seen)) {
        pairedWith[m] = f;
        return true;
      }
    }
    return false;
  };
  return few.every((_, f) => place(f, new Array<boolean>(many.length).fill(false)));
}

/**
 * Whether two written names can be the same person's: every word of the shorter name matches a
 * different word of the longer one ("Juan Pérez" matches "PEREZ GOMEZ, Juan"). A single word
 * matches a single word only, so a lone surname never hits every full name that contains it.
 */
export function namesMatch(a: string, b: string): boolean {
  const x = [...new Set(words(a))];
  const y = [...new Set(words(b))];
  if (x.length === 0 || y.length === 0) return false;
  if ((x.length === 1 || y.length === 1) && x.length !== y.length) return false;
  return x.length <= y.length ? everyWordPaired(x, y) : everyWordPaired(y, x);
}

/** Whether `name` matches a person's name or one of their aliases. */
export function matchesPerson(name: string, person: { name: string | null; aliases: string[] | null }): boolean {
  return [person.name, ...(person.aliases ?? [])].some((known) => known !== null && namesMatch(name, known));
}
