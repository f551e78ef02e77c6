import { Kind, parse, type DocumentNode } from 'graphql';
import type { OfficerContext } from '../policy/context';

/**
 * The one request the hub answers without a token: `{ _service { sdl } }`, which composition
 * tools (IntrospectAndCompose, rover) send before any user exists. The SDL is the committed
 * schema/hub.graphql and carries no data. Everything else, `_entities` included, needs a token.
 */
const SDL_FIELDS = new Set(['_service', '__typename']);

/**
 * True when the body's document only selects `_service` / `__typename` at the root of queries.
 * Parsed before any token is checked, so under the same token limit as every document.
 */
export function readsOnlyServiceSdl(body: unknown, maxTokens: number): boolean {
  const query = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { query?: unknown }).query : undefined;
  if (typeof query !== 'string') return false;
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens });
  } catch {
    return false;
  }
  return document.definitions.every(
    (definition) =>
      definition.kind === Kind.OPERATION_DEFINITION &&
      definition.operation === 'query' &&
      definition.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && SDL_FIELDS.has(selection.name.value)),
  );
}

/**
 * The principal of such a request. `_service` reads nothing from it, and were anything else
 * ever to run for it, this principal passes no rule: not ACTIVE, no role, no clearance.
 */
export const SDL_READER: OfficerContext = Object.freeze({
  kind: 'officer',
  officerId: '',
  country: '',
  roles: [],
  status: 'NOMINATED',
  clearanceRank: -1,
  assignedOperationIds: [],
  countryOperationIds: [],
  shareRanks: {},
}) as OfficerContext;
