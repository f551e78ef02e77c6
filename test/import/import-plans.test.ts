import { describe, expect, it } from 'vitest';
import type { PlanOperator, Statement } from '../../src/graph/db';
import { existingIdsStatement, lookupStatements, nodeBatchStatements, sectionBatches, UPDATES } from '../../src/graph/import';
import { generateImport } from '../../src/import/generate';
import { SECTIONS, type ImportFile } from '../../src/import/types';
import { testDb } from '../support/db';

/**
 * Every statement the import sends starts from an index seek, whatever the statistics: each key
 * it starts from names its index (`USING INDEX`), so no plan made at some batch of an import can
 * become one scan per row as the graph fills (the planner alone picks the seeks on an empty
 * store and on this one, which is why the hints are checked as well as the plans). Only EXPLAIN
 * runs here: nothing is written.
 */
const SCANS = ['NodeByLabelScan', 'AllNodesScan', 'DirectedRelationshipTypeScan', 'UndirectedRelationshipTypeScan', 'DirectedAllRelationshipsScan', 'UndirectedAllRelationshipsScan'];

function operators(plan: PlanOperator): string[] {
  return [plan.operator, ...plan.children.flatMap(operators)];
}

/** Two records of each section of a generated file: the statements do not depend on the values. */
function sample(): ImportFile {
  const file = generateImport({ scale: 'S', seed: 3 }) as unknown as Record<string, unknown[]>;
  return Object.fromEntries(SECTIONS.map((section) => [section, (file[section] ?? []).slice(0, 2)])) as ImportFile;
}

function importStatements(file: ImportFile): Statement[] {
  const statements: Statement[] = [];
  for (const section of SECTIONS) {
    if (section === 'updates') continue;
    for (const batch of sectionBatches(section, file, () => 'BR', 100)) {
      if ('statements' in batch) statements.push(...batch.statements);
      else {
        const ids = batch.rows.map((r) => r.id);
        statements.push(existingIdsStatement(batch.section, ids));
        // Both paths: every record new (CREATE with its relationships), every record stored (MERGE, prune, relationships).
        statements.push(...nodeBatchStatements(batch.section, batch.rows, new Set()), ...nodeBatchStatements(batch.section, batch.rows, new Set(ids)));
      }
    }
  }
  statements.push(existingIdsStatement(UPDATES, ['up-1']));
  for (const kind of ['countries', 'units', 'officers', 'operations', 'subjects', 'reports'] as const) statements.push(...lookupStatements(kind, ['k-1']));
  return statements;
}

/** Every node or LINK pattern with a key on a MATCH line, and whether that line names its index. */
function unhinted(cypher: string): string[] {
  const missing: string[] = [];
  for (const line of cypher.split('\n').filter((l) => /^\s*(OPTIONAL )?MATCH /.test(l))) {
    for (const [, alias, label, key] of line.matchAll(/[([](\w+):(\w+) \{(\w+):/g)) {
      if (!line.includes(`USING INDEX ${alias}:${label}(${key})`)) missing.push(`${alias}:${label}(${key})`);
    }
  }
  return missing;
}

describe('import statement plans', () => {
  it('every import statement names the index of each key it starts from, and its plan seeks it without any scan', async () => {
    const db = await testDb();
    const statements = importStatements(sample());
    const distinct = [...new Map(statements.map((s) => [s.cypher, s])).values()];
    expect(distinct.length).toBeGreaterThan(20);
    for (const statement of distinct) {
      expect(unhinted(statement.cypher), statement.cypher).toEqual([]);
      const all = operators(await db.plan(statement));
      expect(all.filter((op) => SCANS.includes(op)), statement.cypher).toEqual([]);
      if (/MATCH \(\w+:\w+ \{|LINK \{id/.test(statement.cypher)) expect(all.some((op) => /IndexSeek/.test(op)), statement.cypher).toBe(true);
    }
  }, 600_000);
});
