import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { namesMatch, withinOneEdit } from '../../src/graph/name-match';
import { policyParams } from '../../src/policy/rule';
import { nameCandidatesQuery, searchQuery, words } from '../../src/graph/search-text';
import { personIdentityHiddenPredicate, redactedPersonFields } from '../../src/policy/redaction';
import type { PolicyContext } from '../../src/policy/context';
import { testDb } from '../support/db';

/** The Lucene text builder (pure), the name matcher (pure), and the redaction predicate's two forms. */

// Words of letters and digits, optionally fuzzy, joined by AND or OR; at most one "(…) OR key" group.
const TERM = String.raw`[\p{L}\p{N}]+(?:~1)?`;
const CONJUNCTION = String.raw`${TERM}(?: (?:AND|OR) ${TERM})*`;
const SAFE = new RegExp(String.raw`^(?:${CONJUNCTION}|\(${CONJUNCTION}\) OR [\p{L}\p{N}]+)$`, 'u');

const HOSTILE = [
  '*:*', 'title:secret', 'name:/.*/', '"exact phrase"', 'a\\ b', 'x AND y', 'x && y || z', 'NOT x', '-x +y', '!x', '(x', 'x)', '[a TO z]',
  '{a TO z}', 'x~', 'x~0.1', 'x^10', 'x*', '?x', '/regex/', '\\', '\u0000x', 'x\ny', 'OR', 'AND AND', '${x}', "' OR 1=1 --",
];

describe('safe Lucene queries from user text', () => {
  it('turns every hostile string into plain words joined by AND, or into nothing', () => {
    for (const text of HOSTILE) {
      const query = searchQuery(text);
      if (query !== null) expect(query, text).toMatch(SAFE);
    }
    expect(searchQuery('*:*')).toBeNull();
    expect(searchQuery('title:secret')).toBe('title~1 AND secret~1');
    expect(searchQuery('x AND y')).toBe('x AND y'); // "and" is a stop word; x and y stay exact
  });

  it('never lets any string through as Lucene syntax (random strings)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const query = searchQuery(text);
        return query === null || SAFE.test(query);
      }),
      { numRuns: 2000 },
    );
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
      const query = nameCandidatesQuery(text);
      return query === null || SAFE.test(query);
    }));
  });

  it('folds case and accents, drops the analyzer\'s stop words, and makes words of three letters fuzzy', () => {
    expect(words('JOSÉ  Pérez-Núñez, Søren Straße')).toEqual(['jose', 'perez', 'nunez', 'soren', 'strasse']);
    expect(searchQuery('the smuggling of migrants at sea')).toBe('smuggling~1 AND migrants~1 AND sea~1');
    expect(searchQuery('el mx sea')).toBe('el AND mx AND sea~1');
  });

  it('adds the whole text run together for numbers written with spaces or dashes', () => {
    expect(searchQuery('X12-345 67')).toBe('(x12~1 AND 345 AND 67) OR x1234567');
    expect(searchQuery('Darien route')).toBe('darien~1 AND route~1');
  });
});

describe('name matching', () => {
  it('allows one insertion, deletion, substitution or swap of neighbours, and no more', () => {
    expect(['juan', 'jaun', 'jun', 'juana', 'juab'].map((w) => withinOneEdit('juan', w))).toEqual([true, true, true, true, true]);
    expect(['ujna', 'jn', 'juanita', 'pedro'].map((w) => withinOneEdit('juan', w))).toEqual([false, false, false, false]);
  });

  it('pairs the words of the shorter name with different words of the longer one, in any order', () => {
    expect(namesMatch('Pérez Juan', 'JUAN CARLOS PEREZ')).toBe(true);
    expect(namesMatch('  Juan   Pérez ', 'PEREZ, Juan')).toBe(true);
    expect(namesMatch('Juan Perez', 'Juan Pedro')).toBe(false);
    expect(namesMatch('Perez', 'Juan Perez')).toBe(false);
    expect(namesMatch('Li', 'Lu')).toBe(false);
  });
});

describe('the protected-identity predicate', () => {
  it('agrees with redactedPersonFields for officers of each country, and partners', async () => {
    const db = await testDb();
    const persons = [true, false, null].flatMap((isProtected) => ['QX', 'QY'].map((recordedBy) => ({ protected: isProtected, recordedBy })));
    const viewers: PolicyContext[] = [
      { kind: 'partner', partnerId: 'p', shareRanks: {} },
      ...['QX', 'QY'].map((country): PolicyContext => ({
        kind: 'officer', officerId: 'o', country, status: 'ACTIVE', roles: ['OFFICER'], clearanceRank: 3, shareRanks: {}, assignedOperationIds: [], countryOperationIds: [],
      })),
    ];
    for (const viewer of viewers) {
      const rows = await db.read<{ hidden: boolean }>({
        cypher: `UNWIND $persons AS p RETURN ${personIdentityHiddenPredicate(viewer, 'p')} AS hidden`,
        params: { persons, policy: policyParams(viewer) },
      });
      const expected = persons.map((p) => redactedPersonFields(viewer, { protected: !!p.protected, recordedBy: p.recordedBy }).length > 0);
      expect(rows.map((r) => r.hidden)).toEqual(expected);
    }
  });
});
