import { describe, expect, it } from 'vitest';
import { networkStatement, pathStatement } from '../../src/graph/analysis';
import type { PlanOperator } from '../../src/graph/db';
import type { OfficerContext, PartnerContext } from '../../src/policy/context';
import { testDb } from '../support/db';

/**
 * The sharing rule sits inside each traversal (issue 9, point 6): in the planner's own plan,
 * every path-expanding operator carries the link predicate among its inlined predicates, so no
 * hidden link is ever stepped over and then filtered away. EXPLAIN runs nothing.
 */
const officer: OfficerContext = {
  kind: 'officer', officerId: 'o', country: 'XC', roles: ['ANALYST'], status: 'ACTIVE', clearanceRank: 2,
  assignedOperationIds: ['op-1'], countryOperationIds: ['op-1'], shareRanks: { XB: 1 },
};
const partner: PartnerContext = { kind: 'partner', partnerId: 'p', shareRanks: { XB: 0 } };

function operators(plan: PlanOperator): PlanOperator[] {
  return [plan, ...plan.children.flatMap(operators)];
}

/** Operators that follow relationships for more than one step. */
const TRAVERSALS = /ShortestPath|VarLengthExpand|Repeat|Trail/;

function traversals(plan: PlanOperator): PlanOperator[] {
  return operators(plan).filter((op) => TRAVERSALS.test(op.operator));
}

const cases = [
  ['an officer', officer],
  ['a partner', partner],
] as const;

describe.each(cases)('the plans for %s', (_name, ctx) => {
  it('subjectNetwork expands only over links that pass the rule, at every depth', async () => {
    const db = await testDb();
    for (const depth of [1, 2, 3]) {
      const found = traversals(await db.plan(networkStatement(ctx, 'x', depth, 200, new Date())));
      // One breadth-first search per possible reach, and one ring count per level below the depth.
      expect(found.length).toBe(2 * depth - 1);
      for (const op of found) {
        expect(op.operator).toBe('StatefulShortestPath(All)');
        expect(op.details).toMatch(/expanding from: start/);
        expect(op.details).toMatch(/inlined predicates:[\s\S]*l\.classRank[\s\S]*\$policy/);
        expect(op.details).toMatch(/l\.relMode/);
        expect(op.details).toMatch(/l\.expiresAt/);
      }
    }
  });

  it('connectionPath searches only over links that pass the rule', async () => {
    const db = await testDb();
    const found = traversals(await db.plan(pathStatement(ctx, 'x', 'y', 6, new Date())));
    expect(found).toHaveLength(1);
    expect(found[0].operator).toBe('StatefulShortestPath(Into)');
    expect(found[0].details).toMatch(/\{0, 6\}/);
    expect(found[0].details).toMatch(/inlined predicates:[\s\S]*l\.classRank[\s\S]*\$policy/);
  });

  it('no plan reads a report to judge a link', async () => {
    const db = await testDb();
    for (const plan of [await db.plan(networkStatement(ctx, 'x', 3, 200, new Date())), await db.plan(pathStatement(ctx, 'x', 'y', 4, new Date()))]) {
      // Reports are read only as \`concerning\`, for the visibility of the start (and end) subjects.
      const reportReads = operators(plan).filter((op) => /IntelReport|reportId\]? =/.test(op.details) && !/concerning/.test(op.details));
      expect(reportReads.map((op) => op.operator)).toEqual([]);
    }
  });
});
