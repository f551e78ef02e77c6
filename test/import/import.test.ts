import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/graph/db';
import { importFile } from '../../src/graph/import';
import { HubError } from '../../src/errors';
import type { ImportFile } from '../../src/import/types';
import { testDb, uniquePrefix } from '../support/db';
import { cleanUp, dump, freeCountryCodes, smallFile } from './fixtures';

let db: Db;
let prefix: string;
let codes: string[];

beforeAll(async () => {
  db = await testDb();
  prefix = uniquePrefix('import');
  codes = await freeCountryCodes(db, 3);
});

afterAll(async () => {
  await cleanUp(db, prefix, codes);
});

async function rejection(promise: Promise<unknown>): Promise<HubError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HubError);
  return error as HubError;
}

describe('importFile', () => {
  it('writes nothing when anything is invalid, and names every bad record', async () => {
    const file = smallFile(`${prefix}-bad`, codes);
    file.reports![0].owner = codes[1];
    file.links![1].from = `${prefix}-bad-s-ghost`;
    const before = await dump(db, `${prefix}-bad`, codes);
    const error = await rejection(importFile(db, file));
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain(`reports[0] (id ${prefix}-bad-r-1) owner`);
    expect(error.extensions.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ record: `reports[0] (id ${prefix}-bad-r-1)`, field: 'owner' }),
        expect.objectContaining({ record: `links[1] (id ${prefix}-bad-l-2)`, field: 'from' }),
      ]),
    );
    expect(await dump(db, `${prefix}-bad`, codes)).toEqual(before);
    expect(before.nodes).toEqual([]);
  });

  it('stores the model as docs/graph-model.md describes it', async () => {
    const file = smallFile(`${prefix}-m`, codes);
    const summary = await importFile(db, file);
    expect(summary.records).toBe(20);
    const [report] = await db.read<Record<string, unknown>>({
      cypher: `MATCH (r:IntelReport {id: $id})-[:OWNED_BY]->(c:Country), (r)-[:AUTHORED_BY]->(o:Officer), (r)-[:SCOPED_TO]->(op:Operation)
        RETURN r {.*} AS r, c.code AS owner, o.id AS author, op.id AS operation, [(r)-[:CONCERNS]->(s) | s.id] AS subjects`,
      params: { id: `${prefix}-m-r-1` },
    });
    expect(report).toMatchObject({ owner: codes[0], author: `${prefix}-m-o-a`, operation: `${prefix}-m-op-1` });
    expect((report.subjects as string[]).sort()).toEqual([`${prefix}-m-s-1`, `${prefix}-m-s-2`, `${prefix}-m-s-3`]);
    expect(report.r).toMatchObject({
      classification: 'RESTRICTED',
      classRank: 2,
      ownerCode: codes[0],
      relMode: 'DENY',
      relCountries: [codes[2]],
      operationId: `${prefix}-m-op-1`,
      createdAt: '2026-11-02T10:00:00.000Z',
      expiresAt: '2027-11-02T10:00:00.000Z',
      routeOrigin: 'EC',
      routeTransit: ['CO', 'PA'],
      routeDestination: 'MX',
    });
    const [derived] = await db.read<Record<string, unknown>>({
      cypher: 'MATCH (r:IntelReport {id: $id}) RETURN r.ownerCode AS owner, r.handling AS handling, r.relMode AS mode, r.operationId AS op',
      params: { id: `${prefix}-m-r-2` },
    });
    expect(derived).toEqual({ owner: codes[1], handling: 'H0', mode: 'NETWORK', op: null });
    const [document] = await db.read<Record<string, unknown>>({
      cypher: 'MATCH (d:Subject:TravelDocument {id: $id}) RETURN d.numberKey AS key, d.number AS number, d.status AS status',
      params: { id: `${prefix}-m-s-2` },
    });
    expect(document).toEqual({ key: 'X1234567', number: 'x12-345 67', status: 'STOLEN' });
    const [country] = await db.read<Record<string, unknown>>({
      cypher: 'MATCH (c:Country {code: $code}) RETURN c.defaultShareLevel AS d, c.partnerShareLevel AS p',
      params: { code: codes[2] },
    });
    expect(country).toEqual({ d: 'NONE', p: 'NONE' });
  });

  it('numbers new updates from the sequence in postedAt order and keeps their numbers on re-import', async () => {
    const file = smallFile(`${prefix}-m`, codes);
    const seqs = async (): Promise<Record<string, unknown>[]> =>
      db.read({
        cypher: `MATCH (u:OperationUpdate)-[:ON]->(:Operation {id: $op}) MATCH (u)-[:OWNED_BY]->(c:Country)
          RETURN u.id AS id, u.seq AS seq, c.code AS owner, u.ownerCode AS ownerCode, u.arrests AS arrests ORDER BY u.seq`,
        params: { op: `${prefix}-m-op-1` },
      });
    const first = await seqs();
    expect(first.map((u) => u.id)).toEqual([`${prefix}-m-up-1`, `${prefix}-m-up-2`]);
    expect(first[1].seq).toBe((first[0].seq as number) + 1);
    expect(first[1]).toMatchObject({ owner: codes[1], ownerCode: codes[1], arrests: 2 });
    await importFile(db, file);
    expect(await seqs()).toEqual(first);
  });

  it('changes nothing when the same file is imported twice', async () => {
    const file = smallFile(`${prefix}-m`, codes);
    const before = await dump(db, `${prefix}-m`, codes);
    await importFile(db, file);
    expect(await dump(db, `${prefix}-m`, codes)).toEqual(before);
    expect(before.relationships.length).toBeGreaterThan(20);
  });

  it('stores the same graph when batches of a section are written two at a time', async () => {
    const file = smallFile(`${prefix}-c`, codes);
    // One record per batch: every subject, report and link batch runs beside another.
    await importFile(db, file, { batchSize: 1, concurrency: 2 });
    const together = await dump(db, `${prefix}-c`, codes);
    await importFile(db, file, { batchSize: 1, concurrency: 1 });
    expect(await dump(db, `${prefix}-c`, codes)).toEqual(together);
    expect(together.relationships.length).toBeGreaterThan(20);
  });

  it("treats a record's lists as the truth: dropped subjects, participants and assignments go", async () => {
    const file: ImportFile = smallFile(`${prefix}-m`, codes);
    file.reports![0].subjects = [`${prefix}-m-s-1`, `${prefix}-m-s-2`];
    file.links = [file.links![0]];
    file.operations![0].participants = [codes[0], codes[2]];
    file.operations![0].assignments = [{ officer: `${prefix}-m-o-b`, role: 'LEAD' }];
    file.reports![0].author = `${prefix}-m-o-a`;
    await importFile(db, file);
    const [state] = await db.read<Record<string, string[]>>({
      cypher: `MATCH (r:IntelReport {id: $report}), (op:Operation {id: $op})
        RETURN [(r)-[:CONCERNS]->(s) | s.id] AS subjects,
          [(c:Country)-[:PARTICIPATES_IN]->(op) | c.code] AS participants,
          [(o:Officer)-[a:ASSIGNED_TO]->(op) | o.id + ':' + a.role] AS assignments`,
      params: { report: `${prefix}-m-r-1`, op: `${prefix}-m-op-1` },
    });
    expect(state.subjects.sort()).toEqual([`${prefix}-m-s-1`, `${prefix}-m-s-2`]);
    expect(state.participants.sort()).toEqual([codes[0], codes[2]].sort());
    expect(state.assignments).toEqual([`${prefix}-m-o-b:LEAD`]);
  });

  it('resolves references to records already in the database', async () => {
    const file: ImportFile = {
      reports: [
        {
          id: `${prefix}-m-r-later`,
          author: `${prefix}-m-o-a`,
          title: 'Follow-up',
          classification: 'OFFICIAL',
          createdAt: '2026-11-20T00:00:00Z',
          subjects: [`${prefix}-m-s-1`, `${prefix}-m-s-3`],
        },
      ],
      links: [
        { id: `${prefix}-m-l-later`, from: `${prefix}-m-s-3`, to: `${prefix}-m-s-1`, kind: 'USES_PHONE', report: `${prefix}-m-r-later` },
        { id: `${prefix}-m-l-old`, from: `${prefix}-m-s-2`, to: `${prefix}-m-s-1`, kind: 'ASSOCIATE_OF', report: `${prefix}-m-r-1` },
      ],
    };
    await importFile(db, file);
    const [report] = await db.read<{ owner: string }>({
      cypher: 'MATCH (r:IntelReport {id: $id}) RETURN r.ownerCode AS owner',
      params: { id: `${prefix}-m-r-later` },
    });
    expect(report.owner).toBe(codes[0]);
    const bad: ImportFile = { links: [{ id: `${prefix}-m-l-bad`, from: `${prefix}-m-s-3`, to: `${prefix}-m-s-2`, kind: 'X', report: `${prefix}-m-r-2` }] };
    const error = await rejection(importFile(db, bad));
    expect(error.extensions.problems).toEqual([
      { record: `links[0] (id ${prefix}-m-l-bad)`, field: 'to', message: `subject "${prefix}-m-s-2" is not a subject of report "${prefix}-m-r-2"` },
    ]);
  });
});
