import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/principal';
import { BadInputError, HubError, NotFoundError, type FieldProblem } from '../errors';
import { ANALYSIS_LIMITS } from '../graph/analysis';
import type { AuditSink } from '../graph/audit';
import { AuditTrail } from '../graph/audit-trail';
import type { Db } from '../graph/db';
import { EXPORT_FORMATS, toGraphml, toJsonGraph, type ExportFormat } from '../graph/network-export';
import { GraphSession } from '../graph/session';
import type { PolicyContext } from '../policy/context';

/**
 * GET /export/network?subjectId=…&depth=2&limit=200&format=graphml|json — the visible network
 * around a subject as a file. The same token, the same rule (GraphSession.subjectNetwork) and
 * the same audit as `subjectNetwork`: the disclosed reports are on the record before a byte is
 * sent. An invisible subject is 404 NOT_FOUND, exactly like an unknown one.
 */
export interface ExportOptions {
  authenticator: Authenticator;
  db: Db;
  audit: AuditSink;
  auditEnabled: boolean;
  log: Logger;
  /**
   * The request allowance GraphQL requests spend (RATE_LIMITED when spent): an export is one
   * request of its principal; a request without a valid token is counted by address.
   */
  admit: (principal: PolicyContext | null, address: string | undefined) => Promise<void>;
}

const STATUS: Partial<Record<string, number>> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_USER_INPUT: 400, RATE_LIMITED: 429, TIMEOUT: 504 };

function intParam(req: Request, name: 'depth' | 'limit', fallback: number, problems: FieldProblem[]): number {
  const raw = req.query[name];
  if (raw === undefined) return fallback;
  const { min, max } = ANALYSIS_LIMITS[name];
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) problems.push({ field: name, message: `must be an integer between ${min} and ${max}` });
  return value;
}

function parse(req: Request): { subjectId: string; depth: number; limit: number; format: ExportFormat } {
  const problems: FieldProblem[] = [];
  const subjectId = req.query.subjectId;
  if (typeof subjectId !== 'string' || subjectId === '') problems.push({ field: 'subjectId', message: 'is required' });
  const depth = intParam(req, 'depth', 2, problems);
  const limit = intParam(req, 'limit', 200, problems);
  const format = req.query.format ?? 'graphml';
  if (!EXPORT_FORMATS.includes(format as ExportFormat)) problems.push({ field: 'format', message: `must be one of ${EXPORT_FORMATS.join(', ')}` });
  if (problems.length) throw new BadInputError(`the export request is invalid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
  return { subjectId: subjectId as string, depth, limit, format: format as ExportFormat };
}

export function exportNetwork(options: ExportOptions) {
  return async (req: Request, res: Response): Promise<void> => {
    const requestId = String(res.getHeader('x-request-id') ?? randomUUID());
    try {
      const principal = await options.authenticator.authenticate(req.header('authorization')).catch(async (error: unknown) => {
        await options.admit(null, req.socket.remoteAddress);
        throw error;
      });
      await options.admit(principal, req.socket.remoteAddress);
      const args = parse(req);
      const trail = options.auditEnabled ? new AuditTrail(options.audit, principal, requestId) : AuditTrail.disabled(principal, requestId);
      const network = await new GraphSession(options.db, principal, trail).subjectNetwork(args.subjectId, args.depth, args.limit, 'export');
      if (!network) throw new NotFoundError('subject', args.subjectId);
      const file = `network-${args.subjectId.replace(/[^A-Za-z0-9._-]/g, '_')}.${args.format}`;
      const body = args.format === 'graphml' ? toGraphml(network) : JSON.stringify(toJsonGraph(network));
      await trail.flush();
      res
        .status(200)
        .type(args.format === 'graphml' ? 'application/graphml+xml' : 'application/json')
        .setHeader('content-disposition', `attachment; filename="${file}"`)
        .send(body);
    } catch (error) {
      if (error instanceof HubError && STATUS[String(error.extensions.code)]) {
        const { http, ...extensions } = error.extensions as { http?: { headers?: Map<string, string> } };
        for (const [name, value] of http?.headers ?? []) res.setHeader(name, value);
        res.status(STATUS[String(error.extensions.code)]!).json({ errors: [{ message: error.message, extensions }] });
        return;
      }
      options.log.error({ err: error, requestId }, 'network export failed');
      res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }] });
    }
  };
}
