import { ForbiddenError, NotFoundError } from '../../errors';
import type { OfficerContext } from '../../policy/context';
import type { Level, OfficerStatus, Role } from '../../policy/levels';
import { hasRole } from '../../policy/permissions';
import type { Db, Tx } from '../db';
import { checkClientId, inputHash } from './idempotent';

/**
 * Writes of the network's directory of officers: nomination, activation, suspension and
 * clearance. Officers are directory entries every principal reads, so an unknown officer is
 * NOT_FOUND and one the actor may not manage is FORBIDDEN.
 */

/** Roles that only network administrators grant: they reach beyond one country. */
const NETWORK_WIDE_ROLES: readonly Role[] = ['NETWORK_ADMIN', 'OVERSIGHT'];

function managesCountry(actor: OfficerContext, country: string): boolean {
  return hasRole(actor, 'NETWORK_ADMIN') || (hasRole(actor, 'NCB_ADMIN') && actor.country === country);
}

export interface NominationInput {
  id: string;
  unitId: string;
  name: string;
  email: string | null;
  phone: string | null;
  rank: string | null;
  roles: Role[];
  clearance: Level;
}

/** Creates a NOMINATED officer in the unit. Returns the id (new, or replayed). */
export async function nominateOfficer(db: Db, actor: OfficerContext, input: NominationInput, now: Date): Promise<string> {
  const hash = inputHash(actor.officerId, input);
  return db.writeTx(async (tx) => {
    if ((await checkClientId(tx, 'Officer', input.id, hash)) === 'replay') return input.id;
    const [unit] = await tx.run<{ country: string }>({
      cypher: 'MATCH (:Unit {id: $id})-[:OF]->(c:Country) RETURN c.code AS country',
      params: { id: input.unitId },
    });
    if (!unit) throw new NotFoundError('unit', input.unitId);
    if (!managesCountry(actor, unit.country)) {
      throw new ForbiddenError(`only NCB administrators of ${unit.country} or network administrators nominate its officers`);
    }
    if (!hasRole(actor, 'NETWORK_ADMIN') && input.roles.some((role) => NETWORK_WIDE_ROLES.includes(role))) {
      throw new ForbiddenError(`only network administrators grant the roles ${NETWORK_WIDE_ROLES.join(', ')}`);
    }
    const { id, unitId, ...props } = input;
    await tx.run({
      cypher: `MATCH (u:Unit {id: $unitId})
CREATE (o:Officer {id: $id})
SET o += $props, o.status = 'NOMINATED', o.nominatedAt = datetime($now), o.nominatedBy = $actor, o.clientHash = $hash
CREATE (o)-[:MEMBER_OF]->(u)`,
      params: { id, unitId, props, now: now.toISOString(), actor: actor.officerId, hash },
    });
    return id;
  });
}

interface ManagedOfficer {
  country: string;
  status: OfficerStatus;
}

async function managedOfficer(tx: Tx, officerId: string, allowed: (country: string) => boolean, who: string): Promise<ManagedOfficer> {
  const [officer] = await tx.run<ManagedOfficer>({
    cypher: 'MATCH (o:Officer {id: $id})-[:MEMBER_OF]->(:Unit)-[:OF]->(c:Country) RETURN c.code AS country, o.status AS status',
    params: { id: officerId },
  });
  if (!officer) throw new NotFoundError('officer', officerId);
  if (!allowed(officer.country)) throw new ForbiddenError(`only ${who} of ${officer.country} may do this`);
  return officer;
}

const ADMINS = 'NCB administrators (or network administrators)';

/** NOMINATED or SUSPENDED → ACTIVE; an ACTIVE officer stays as they are, so a retry is harmless. */
export async function activateOfficer(db: Db, actor: OfficerContext, officerId: string, now: Date): Promise<void> {
  await db.writeTx(async (tx) => {
    const officer = await managedOfficer(tx, officerId, (country) => managesCountry(actor, country), ADMINS);
    if (officer.status === 'ACTIVE') return;
    await tx.run({
      cypher: `MATCH (o:Officer {id: $id})
SET o.status = 'ACTIVE', o.activatedAt = datetime($now), o.activatedBy = $actor
REMOVE o.suspendedAt, o.suspendedBy, o.suspensionReason`,
      params: { id: officerId, now: now.toISOString(), actor: actor.officerId },
    });
  });
}

export async function suspendOfficer(db: Db, actor: OfficerContext, officerId: string, reason: string, now: Date): Promise<void> {
  // An administrator who could lock themselves out could also be tricked into it; someone else decides.
  if (officerId === actor.officerId) throw new ForbiddenError('nobody suspends themselves');
  await db.writeTx(async (tx) => {
    await managedOfficer(tx, officerId, (country) => managesCountry(actor, country), ADMINS);
    await tx.run({
      cypher: `MATCH (o:Officer {id: $id})
SET o.status = 'SUSPENDED', o.suspendedAt = datetime($now), o.suspendedBy = $actor, o.suspensionReason = $reason`,
      params: { id: officerId, now: now.toISOString(), actor: actor.officerId, reason },
    });
  });
}

/** Clearance is a national decision: only NCB administrators of the officer's country set it. */
export async function setClearance(db: Db, actor: OfficerContext, officerId: string, clearance: Level, now: Date): Promise<void> {
  await db.writeTx(async (tx) => {
    await managedOfficer(tx, officerId, (country) => hasRole(actor, 'NCB_ADMIN') && actor.country === country, 'NCB administrators');
    await tx.run({
      cypher: 'MATCH (o:Officer {id: $id}) SET o.clearance = $clearance, o.clearanceSetAt = datetime($now), o.clearanceSetBy = $actor',
      params: { id: officerId, clearance, now: now.toISOString(), actor: actor.officerId },
    });
  });
}
