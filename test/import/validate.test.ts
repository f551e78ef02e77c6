import { describe, expect, it } from 'vitest';
import { NO_EXISTING_KEYS, referencedKeys, validateImport, type ImportProblem } from '../../src/import/validate';
import type { ImportFile } from '../../src/import/types';
import { smallFile } from './fixtures';

const CODES = ['JA', 'JB', 'JC'];
const P = 'v';

function problemsOf(file: unknown): ImportProblem[] {
  const result = validateImport(file);
  if (result.ok) throw new Error('expected problems, the file was valid');
  return result.problems;
}

function mutate(change: (file: ImportFile) => void): ImportFile {
  const file = structuredClone(smallFile(P, CODES));
  change(file);
  return file;
}

describe('validateImport', () => {
  it('accepts a valid file touching every section', () => {
    expect(validateImport(smallFile(P, CODES))).toEqual({ ok: true, file: smallFile(P, CODES) });
  });

  it('rejects a file that is not an object', () => {
    expect(problemsOf([1, 2])).toEqual([{ record: 'file', field: '', message: 'must be a JSON object of sections' }]);
  });

  it('names an unknown section as a field of the file', () => {
    expect(problemsOf({ country: [] })).toEqual([{ record: 'file', field: 'country', message: 'is not a known field' }]);
  });

  it('reports wrong types with the record and field', () => {
    const problems = problemsOf(
      mutate((f) => {
        (f.officers![0] as unknown as Record<string, unknown>).roles = 'OFFICER';
        (f.updates![0].metrics as Record<string, unknown>).arrests = 'three';
      }),
    );
    expect(problems).toContainEqual({ record: 'officers[0] (id v-o-a)', field: 'roles', message: 'must be array' });
    expect(problems).toContainEqual({ record: 'updates[0] (id v-up-2)', field: 'metrics.arrests', message: 'must be integer' });
  });

  it('reports missing required fields and unknown fields', () => {
    const problems = problemsOf(
      mutate((f) => {
        delete (f.reports![0] as Partial<NonNullable<ImportFile['reports']>[number]>).title;
        (f.units![0] as unknown as Record<string, unknown>).colour = 'blue';
      }),
    );
    expect(problems).toContainEqual({ record: 'reports[0] (id v-r-1)', field: 'title', message: 'is required' });
    expect(problems).toContainEqual({ record: 'units[0] (id v-u-a)', field: 'colour', message: 'is not a known field' });
  });

  it('reports over-long strings and malformed ids', () => {
    const problems = problemsOf(
      mutate((f) => {
        f.reports![0].title = 'x'.repeat(301);
        f.subjects![0].id = 'has spaces';
        f.partners![0].id = 'p'.repeat(129);
      }),
    );
    expect(problems).toContainEqual({ record: 'reports[0] (id v-r-1)', field: 'title', message: 'must NOT have more than 300 characters' });
    expect(problems).toContainEqual(expect.objectContaining({ record: 'subjects[0] (id has spaces)', field: 'id', message: expect.stringContaining('1-128 characters') }));
    expect(problems).toContainEqual(expect.objectContaining({ field: 'id', record: expect.stringMatching(/^partners\[0\]/) }));
  });

  it('reports invalid enumerations, including the subject kind', () => {
    const problems = problemsOf(
      mutate((f) => {
        (f.reports![0] as unknown as Record<string, unknown>).classification = 'SECRET';
        (f.subjects![2] as unknown as Record<string, unknown>).kind = 'ALIEN';
        (f.officers![1].roles as string[]).push('KING');
      }),
    );
    expect(problems).toContainEqual({ record: 'reports[0] (id v-r-1)', field: 'classification', message: 'must be one of UNCLASSIFIED, OFFICIAL, RESTRICTED, CONFIDENTIAL' });
    expect(problems).toContainEqual(expect.objectContaining({ record: 'subjects[2] (id v-s-3)', field: 'kind' }));
    expect(problems).toContainEqual(expect.objectContaining({ record: 'officers[1] (id v-o-b)', field: 'roles[2]' }));
  });

  it('reports bad country codes wherever they appear', () => {
    const problems = problemsOf(
      mutate((f) => {
        f.countries![0].code = 'br';
        f.reports![0].releasability!.countries = ['BRA'];
        f.reports![0].route!.transit = ['C0'];
      }),
    );
    const country = 'must be a country code of two upper-case letters (ISO 3166-1 alpha-2)';
    expect(problems).toContainEqual({ record: 'countries[0] (code br)', field: 'code', message: country });
    expect(problems).toContainEqual({ record: 'reports[0] (id v-r-1)', field: 'releasability.countries[0]', message: country });
    expect(problems).toContainEqual({ record: 'reports[0] (id v-r-1)', field: 'route.transit[0]', message: country });
  });

  it('reports dates that are not ISO 8601 UTC, or not dates at all', () => {
    const problems = problemsOf(
      mutate((f) => {
        f.reports![0].createdAt = '2026-11-02T10:00:00+01:00';
        f.updates![0].postedAt = '2026-13-45T00:00:00Z';
        f.operations![0].startsAt = 'yesterday';
        (f.subjects![0] as { dateOfBirth: string }).dateOfBirth = '1990-02-30';
      }),
    );
    const utc = 'must be an ISO 8601 date and time in UTC, e.g. 2023-11-28T10:00:00Z';
    expect(problems).toContainEqual({ record: 'reports[0] (id v-r-1)', field: 'createdAt', message: utc });
    expect(problems).toContainEqual({ record: 'updates[0] (id v-up-2)', field: 'postedAt', message: utc });
    expect(problems).toContainEqual({ record: 'operations[0] (id v-op-1)', field: 'startsAt', message: utc });
    expect(problems).toContainEqual(expect.objectContaining({ record: 'subjects[0] (id v-s-1)', field: 'dateOfBirth' }));
  });

  it('reports references to unknown records', () => {
    const problems = problemsOf(
      mutate((f) => {
        f.officers![0].unit = 'v-u-nowhere';
        f.reports![1].subjects = ['v-s-ghost'];
        f.links![0].report = 'v-r-ghost';
        f.units![1].country = 'JZ';
      }),
    );
    expect(problems).toContainEqual({ record: 'officers[0] (id v-o-a)', field: 'unit', message: 'unknown unit "v-u-nowhere"' });
    expect(problems).toContainEqual({ record: 'reports[1] (id v-r-2)', field: 'subjects[0]', message: 'unknown subject "v-s-ghost"' });
    expect(problems).toContainEqual({ record: 'links[0] (id v-l-1)', field: 'report', message: 'unknown report "v-r-ghost"' });
    expect(problems).toContainEqual({ record: 'units[1] (id v-u-b)', field: 'country', message: 'unknown country "JZ"' });
  });

  it('accepts references to records the database already holds', () => {
    const file: ImportFile = {
      reports: [{ id: 'v-r-9', author: 'v-o-old', title: 'T', classification: 'OFFICIAL', createdAt: '2026-01-01T00:00:00Z', subjects: ['v-s-old'] }],
      links: [{ id: 'v-l-9', from: 'v-s-old', to: 'v-s-old2', kind: 'ASSOCIATE_OF', report: 'v-r-old' }],
    };
    expect(referencedKeys(file)).toEqual({
      countries: [],
      units: [],
      officers: ['v-o-old'],
      operations: [],
      subjects: ['v-s-old', 'v-s-old2'],
      reports: ['v-r-old'],
    });
    const result = validateImport(file, {
      ...NO_EXISTING_KEYS,
      officers: new Map([['v-o-old', { country: 'JA' }]]),
      subjects: new Set(['v-s-old', 'v-s-old2']),
      reports: new Map([['v-r-old', { owner: 'JA', subjects: ['v-s-old', 'v-s-old2'] }]]),
    });
    expect(result.ok).toBe(true);
  });

  it("rejects a report whose owner is not its author's country, and derives it when omitted", () => {
    const problems = problemsOf(mutate((f) => (f.reports![0].owner = CODES[1])));
    expect(problems).toEqual([{ record: 'reports[0] (id v-r-1)', field: 'owner', message: "must be the author's country JA, not JB" }]);
    expect(validateImport(mutate((f) => delete f.reports![0].owner)).ok).toBe(true);
  });

  it('rejects an update owned by another country than its author', () => {
    const problems = problemsOf(mutate((f) => (f.updates![0].owner = CODES[0])));
    expect(problems).toEqual([{ record: 'updates[0] (id v-up-2)', field: 'owner', message: "must be the author's country JB, not JA" }]);
  });

  it('rejects an item with neither author nor owner', () => {
    const problems = problemsOf(mutate((f) => (f.reports![1].author = null)));
    expect(problems).toEqual([{ record: 'reports[1] (id v-r-2)', field: 'author', message: 'is required when owner is omitted' }]);
  });

  it('rejects a link whose ends are not subjects of its report', () => {
    const problems = problemsOf(mutate((f) => (f.links![1].report = 'v-r-2')));
    expect(problems).toEqual([{ record: 'links[1] (id v-l-2)', field: 'from', message: 'subject "v-s-1" is not a subject of report "v-r-2"' }]);
  });

  it('rejects a link from a subject to itself', () => {
    const problems = problemsOf(mutate((f) => (f.links![0].to = 'v-s-1')));
    expect(problems).toContainEqual({ record: 'links[0] (id v-l-1)', field: 'to', message: 'a link must join two different subjects' });
  });

  it('rejects assignments of officers whose country is not in the operation', () => {
    const problems = problemsOf(mutate((f) => (f.operations![0].participants = [CODES[2]])));
    expect(problems).toContainEqual({
      record: 'operations[0] (id v-op-1)',
      field: 'assignments[0].officer',
      message: 'officer "v-o-a" is from JA, which neither leads nor participates in the operation',
    });
  });

  it('rejects duplicate ids within a section', () => {
    const problems = problemsOf(mutate((f) => f.subjects!.push({ ...f.subjects![2] })));
    expect(problems).toEqual([{ record: 'subjects[3] (id v-s-3)', field: 'id', message: 'duplicate of subjects[2] (id v-s-3)' }]);
  });

  it('rejects rules from a country to itself, duplicate rules and inverted validity', () => {
    const problems = problemsOf(
      mutate((f) => {
        f.sharingRules!.push({ from: 'JA', to: 'JA', maxLevel: 'OFFICIAL' });
        f.sharingRules!.push({ from: 'JA', to: 'JB', maxLevel: 'OFFICIAL' });
        f.sharingRules![1].validFrom = '2026-02-01T00:00:00Z';
        f.sharingRules![1].validUntil = '2026-01-01T00:00:00Z';
      }),
    );
    expect(problems).toContainEqual({ record: 'sharingRules[2] (rule JA->JA)', field: 'to', message: 'a country cannot have a sharing rule with itself' });
    expect(problems).toContainEqual({ record: 'sharingRules[3] (rule JA->JB)', field: 'to', message: 'duplicate of sharingRules[0] (rule JA->JB)' });
    expect(problems).toContainEqual({ record: 'sharingRules[1] (rule JB->JA)', field: 'validUntil', message: 'must be at or after validFrom' });
  });

  it('rejects an operation-scoped report from a country outside the operation', () => {
    const problems = problemsOf(
      mutate((f) => {
        f.operations![0].participants = [];
        f.operations![0].assignments = [];
      }),
    );
    expect(problems).toContainEqual({ record: 'reports[0] (id v-r-1)', field: 'operation', message: 'owner JA neither leads nor participates in operation "v-op-1"' });
    expect(problems).toContainEqual({ record: 'updates[1] (id v-up-1)', field: 'author', message: 'JA neither leads nor participates in operation "v-op-1"' });
  });

  it('collects every problem of the file, not just the first', () => {
    const problems = problemsOf(
      mutate((f) => {
        f.countries![1].name = '';
        f.reports![0].owner = 'JB';
        f.links![0].kind = 'lower case';
        f.updates![1].classification = 'TOP' as never;
      }),
    );
    expect(problems.map((p) => p.record)).toEqual(
      expect.arrayContaining(['countries[1] (code JB)', 'reports[0] (id v-r-1)', 'links[0] (id v-l-1)', 'updates[1] (id v-up-1)']),
    );
    expect(problems.length).toBeGreaterThanOrEqual(4);
  });
});
