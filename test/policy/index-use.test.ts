import { describe, expect, it } from 'vitest';
import type { PlanOperator, Statement } from '../../src/graph/db';
import { operationsByIdsStatement, updateListSpec, updatesByIdsStatement } from '../../src/graph/operations';
import { pageStatement } from '../../src/graph/paging';
import { reportListSpec, reportsByIdsStatement } from '../../src/graph/reports';
import { subjectsByIdsStatement } from '../../src/graph/subjects';
import type { OfficerContext, PartnerContext } from '../../src/policy/context';
import { testDb } from '../support/db';

/**
 * The policy predicate must filter on top of the query's own start, never change it: a known
 * failure of comparable systems is an OR in the rule turning an index seek into a label scan.
 */
const officer: OfficerContext = {
  kind: 'officer', officerId: 'o', country: 'XG', roles: ['OFFICER'], status: 'ACTIVE', clearanceRank: 2,
  assignedOperationIds: ['op-1'], countryOperationIds: ['op-1'], shareRanks: { XH: 1, XI: 3 },
};
const partner: PartnerContext = { kind: 'partner', partnerId: 'p', shareRanks: { XH: 0 } };
const now = new Date();

function leaves(plan: PlanOperator): PlanOperator[] {
  return plan.children.length ? plan.children.flatMap(leaves) : [plan];
}

function operators(plan: PlanOperator): string[] {
  return [plan.operator, ...plan.children.flatMap(operators)];
}

const SCANS = ['NodeByLabelScan', 'AllNodesScan', 'UndirectedRelationshipTypeScan', 'DirectedRelationshipTypeScan'];

async function startsOf(statement: Statement): Promise<{ leaves: string[]; all: string[] }> {
  const plan = await (await testDb()).plan(statement);
  return { leaves: leaves(plan).map((leaf) => `${leaf.operator} ${leaf.details}`), all: operators(plan) };
}

describe('index use under the policy predicate', () => {
  for (const [who, ctx] of [['an officer', officer], ['a partner', partner]] as const) {
    it(`by-id lookups of reports, updates, subjects and operations seek the unique index, for ${who}`, async () => {
      for (const statement of [
        reportsByIdsStatement(ctx, ['r-1', 'r-2'], now),
        updatesByIdsStatement(ctx, ['u-1'], now),
        subjectsByIdsStatement(ctx, ['s-1'], now),
        operationsByIdsStatement(ctx, ['op-1'], now),
      ]) {
        const plan = await startsOf(statement);
        expect(plan.all.filter((op) => SCANS.includes(op)), statement.cypher).toEqual([]);
        expect(plan.all).toContain('NodeUniqueIndexSeek');
        expect(plan.all.filter((op) => op === 'Union'), 'no OR expansion of the rule').toEqual([]);
      }
    });

    it(`the report feed walks the createdAt index in order, as it does without the rule, for ${who}`, async () => {
      const spec = reportListSpec(ctx, 'root', {}, now);
      const withRule = await startsOf(pageStatement(spec, [''], { first: 50, after: null }));
      const withoutRule = await startsOf(pageStatement({ ...spec, where: spec.where.map((w) => (w.includes('CASE WHEN') ? 'true' : w)) }, [''], { first: 50, after: null }));
      expect(withRule.leaves).toEqual(withoutRule.leaves);
      expect(withRule.leaves.join()).toMatch(/NodeIndexScan RANGE INDEX r:IntelReport\(createdAt\)/);
      expect(withRule.all.filter((op) => SCANS.includes(op))).toEqual([]);
    });

    it(`an operation's update log seeks the (operationId, seq) index, for ${who}`, async () => {
      const plan = await startsOf(pageStatement(updateListSpec(ctx, now), ['op-1'], { first: 50, after: null }));
      expect(plan.all.filter((op) => SCANS.includes(op))).toEqual([]);
      expect(plan.leaves.join()).toMatch(/NodeIndexSeek RANGE INDEX u:OperationUpdate\(operationId, seq\)/);
    });
  }
});
