import { createHash } from 'node:crypto';
import { ConflictError } from '../../errors';
import type { Tx } from '../db';

/**
 * Creating mutations accept a client id and are idempotent on it: the same input again returns
 * the record created the first time; a different input under a used id is a CONFLICT. The hash
 * of the canonical input and the creator is stored on the node (`clientHash`).
 */
export function inputHash(actor: string, input: unknown): string {
  return createHash('sha256').update(JSON.stringify([actor, canonical(input)])).digest('hex');
}

function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, inner]) => inner !== undefined && inner !== null)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, canonical(inner)]),
    );
  }
  return value;
}

/**
 * Returns 'replay' when `label {id}` exists with the same hash, 'create' when it does not exist,
 * and throws CONFLICT otherwise. The message never says whose record holds the id.
 */
export async function checkClientId(tx: Tx, label: string, id: string, hash: string): Promise<'create' | 'replay'> {
  const [existing] = await tx.run<{ hash: string | null }>({
    cypher: `MATCH (n:${label} {id: $id}) RETURN n.clientHash AS hash`,
    params: { id },
  });
  if (!existing) return 'create';
  if (existing.hash === hash) return 'replay';
  throw new ConflictError(`the id ${JSON.stringify(id)} is not available; choose another`);
}
