import type { HubContext } from '../context';
import { keyOf, type ReferenceResolver } from './subgraph';

/**
 * `__resolveReference` of each entity (DESIGN §4, Federation 2). `_entities` is not a side
 * door: every representation goes through the same GraphSession loader as the root field, so
 * 1,000 representations of one type are one Cypher query with the sharing rule inside, an
 * invisible entity is null exactly like a missing one, and redaction and the audit trail apply.
 * A representation without its key is null too: it names nothing.
 */
function byKey(field: string, load: (key: string, ctx: HubContext) => Promise<unknown>): ReferenceResolver {
  return async (reference, ctx) => {
    const key = keyOf(reference, field);
    return key === null ? null : load(key, ctx);
  };
}

export const ENTITY_REFERENCES: Record<string, ReferenceResolver> = {
  Country: byKey('code', (code, ctx) => ctx.graph.country(code)),
  Unit: byKey('id', (id, ctx) => ctx.graph.unit(id)),
  Officer: byKey('id', (id, ctx) => ctx.graph.officer(id)),
  Operation: byKey('id', (id, ctx) => ctx.graph.operation(id)),
  IntelReport: byKey('id', (id, ctx) => ctx.graph.report(id)),
};
