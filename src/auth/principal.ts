import type { Db } from '../graph/db';
import { loadOfficerContext, loadPartnerContext } from '../graph/principals';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import type { PolicyContext } from '../policy/context';
import type { PolicyCache } from '../policy/cache';
import type { TokenVerifier } from './tokens';

/**
 * Bearer token → principal. The token says who; the graph says what they may do (roles,
 * country, clearance, status, assignments), cached briefly and invalidated on change.
 */
export class Authenticator {
  constructor(
    private readonly verify: TokenVerifier,
    private readonly db: Db,
    private readonly cache: PolicyCache,
  ) {}

  async authenticate(authorization: string | undefined | null): Promise<PolicyContext> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
    if (!match) throw new UnauthenticatedError();
    let subject: string | undefined;
    try {
      subject = (await this.verify(match[1])).sub;
    } catch {
      throw new UnauthenticatedError('the token is invalid or expired');
    }
    if (!subject) throw new UnauthenticatedError('the token names no subject');
    const context = await this.cache.get(subject, () => this.load(subject));
    if (!context) throw new UnauthenticatedError('the token names an unknown principal');
    if (context.kind === 'officer' && context.status === 'SUSPENDED') {
      throw new ForbiddenError('the officer is suspended');
    }
    return context;
  }

  /** The current context of an already authenticated subject (live sockets reload it after invalidations). */
  contextOf(subject: string): Promise<PolicyContext | null> {
    return this.cache.get(subject, () => this.load(subject));
  }

  private load(subject: string): Promise<PolicyContext | null> {
    return subject.startsWith('partner:')
      ? loadPartnerContext(this.db, subject.slice('partner:'.length))
      : loadOfficerContext(this.db, subject);
  }
}
