import path from 'node:path';

/** Everything the hub reads from its environment, validated once. No other module reads process.env. */
export interface Config {
  port: number;
  host: string;
  neo4j: {
    /** Unset: a local Neo4j is provisioned by the project (see src/graph/local-neo4j.ts). */
    uri: string | undefined;
    username: string;
    password: string;
    database: string | undefined;
  };
  redisUrl: string | undefined;
  auth: {
    jwksUrl: string | undefined;
    secret: string | undefined;
    issuer: string;
    audience: string;
  };
  logLevel: string;
  /** Folder for local state: Neo4j data, development signing key, resolved class path. */
  localDir: string;
  limits: {
    maxDepth: number;
    maxAliases: number;
    maxComplexity: number;
    maxPageSize: number;
    maxStringLength: number;
    principalCacheMs: number;
    screeningPerMinute: number;
    maxTokens: number;
  };
  /** Live updates over graphql-ws (issue 4). */
  live: {
    /** No connection_init within this time closes the socket with 4408. */
    initTimeoutMs: number;
    maxPayloadBytes: number;
    socketsPerPrincipal: number;
    subscriptionsPerSocket: number;
    /** Events held for one subscription that its socket has not taken yet; beyond, the socket is closed. */
    bufferedEvents: number;
    /** Policy contexts of connected principals are reloaded at least this often (dated rules). */
    contextRefreshMs: number;
  };
  /**
   * The audit trail (DESIGN §3) is always on in service. AUDIT=off exists for one purpose only:
   * the unaudited reference of bench/audit.bench.ts. Never set it in a deployment.
   */
  auditEnabled: boolean;
  /**
   * AUDIT_JOURNAL_DIR: a folder of its own for this hub's audit write-ahead journal
   * (src/graph/audit-journal.ts) on a persistent disk; responses then wait for a local
   * fdatasync rather than a Neo4j transaction. `off` (null): every response waits for Neo4j.
   * Unset (undefined): `npm start` uses `<localDir>/audit-journal`; a hub started otherwise
   * (tests) has none.
   */
  auditJournalDir: string | null | undefined;
  /**
   * GRAPHQL_EXECUTOR: who executes queries over HTTP, `graphql-js` or `jit` (graphql-jit, which
   * compiles each operation once: src/server/jit.ts). Mutations and subscriptions always run
   * on graphql-js.
   */
  executor: 'graphql-js' | 'jit';
  /** Time limits and faults (issue 11): nothing waits on Neo4j without a bound. */
  resilience: {
    /** NEO4J_TX_TIMEOUT_MS: every Neo4j transaction carries it; Neo4j cancels a transaction that runs longer. */
    transactionTimeoutMs: number;
    /** REQUEST_TIMEOUT_MS: one HTTP request's budget; its transactions get what is left of it. */
    requestTimeoutMs: number;
    /** NEO4J_RETRY_MS: how long the driver retries a transaction Neo4j could not take (restart, leader switch). */
    retryMs: number;
    /** SHUTDOWN_GRACE_MS: on SIGTERM/SIGINT, how long requests in progress may take to finish. */
    shutdownGraceMs: number;
  };
  /** Hardening (issue 11): production mode, HTTP limits and request rate limits per principal. */
  security: {
    /** HUB_ENV=production: introspection and field suggestions off, and the start refuses development secrets. */
    production: boolean;
    maxDirectives: number;
    /** Largest HTTP request body; beyond it the answer is 413. */
    maxBodyBytes: number;
    /** GraphQL requests (HTTP and subscribe messages) per principal per minute; 0: no limit. */
    requestsPerMinute: number;
    /** By-id reads (root fields taking an `ID!`, each `_entities` representation) per principal per minute; 0: no limit. */
    byIdReadsPerMinute: number;
  };
  /** The operations board at /board and the explorer (src/server/board.ts). */
  board: {
    /**
     * EXPLORER=on|off: GraphiQL, bundled with the hub, for browsers at GET /graphql. Unset
     * (undefined): on for `npm start` with the development key, off otherwise.
     */
    explorer: boolean | undefined;
    /**
     * BOARD_DEMO_SIGNIN=on|off: the board's sign-in page lists the demo officers with tokens the
     * hub signs (GET /board/demo-officers). Development key only. Unset: as EXPLORER.
     */
    demoSignIn: boolean | undefined;
  };
}

export class ConfigError extends Error {}

const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
  return raw as T;
}

function onOffFrom(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (raw !== 'on' && raw !== 'off') throw new ConfigError(`${name} must be on or off, got "${raw}"`);
  return raw === 'on';
}

/** Tokens are signed by the hub's own development key (no identity provider, no shared secret). */
export function usesDevelopmentKey(config: Pick<Config, 'auth'>): boolean {
  return !config.auth.jwksUrl && !config.auth.secret;
}

function urlFrom(env: NodeJS.ProcessEnv, name: string, schemes: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL: "${raw}"`);
  }
  if (!schemes.includes(parsed.protocol.replace(/:$/, ''))) {
    throw new ConfigError(`${name} must use one of ${schemes.join(', ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

const HUB_ENVS = new Set(['development', 'production']);
/** Neo4j's out-of-the-box password: a production hub never runs with it. */
const NEO4J_DEFAULT_PASSWORD = 'neo4j';
const MIN_SECRET_BYTES = 32;

function securityFrom(env: NodeJS.ProcessEnv): Config['security'] {
  const hubEnv = env.HUB_ENV || 'development';
  if (!HUB_ENVS.has(hubEnv)) throw new ConfigError(`HUB_ENV must be development or production, got "${hubEnv}"`);
  return {
    production: hubEnv === 'production',
    maxDirectives: intFrom(env, 'MAX_QUERY_DIRECTIVES', 50, 1, 10000),
    maxBodyBytes: intFrom(env, 'MAX_BODY_BYTES', 1048576, 1024, 104857600),
    requestsPerMinute: intFrom(env, 'RATE_LIMIT_PER_MINUTE', 6000, 0, 100000000),
    byIdReadsPerMinute: intFrom(env, 'BY_ID_READS_PER_MINUTE', 3000, 0, 100000000),
  };
}

/**
 * What production refuses (HUB_ENV=production): every reason at once, so one start names them all.
 * Development keeps its conveniences (local Neo4j, the generated signing key, default password).
 */
function productionProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (!env.AUTH_JWKS_URL && !env.AUTH_SECRET) {
    problems.push('set AUTH_JWKS_URL (or AUTH_SECRET): the development signing key in .local/ is for development only');
  }
  if (env.AUTH_SECRET && Buffer.byteLength(env.AUTH_SECRET) < MIN_SECRET_BYTES) {
    problems.push(`AUTH_SECRET must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  if (!env.AUTH_ISSUER || !env.AUTH_AUDIENCE) problems.push('set AUTH_ISSUER and AUTH_AUDIENCE: the development defaults check nothing');
  if (!env.NEO4J_URI) problems.push('set NEO4J_URI: the local Neo4j is for development only');
  if (!env.NEO4J_PASSWORD || env.NEO4J_PASSWORD === NEO4J_DEFAULT_PASSWORD) problems.push("set NEO4J_PASSWORD: Neo4j's default password is refused");
  if (env.AUDIT === 'off') problems.push('unset AUDIT: the audit trail is always on in service (AUDIT=off exists for a benchmark)');
  return problems;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const security = securityFrom(env);
  if (security.production) {
    const problems = productionProblems(env);
    if (problems.length) throw new ConfigError(`HUB_ENV=production refuses to start:\n  - ${problems.join('\n  - ')}`);
  }
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.has(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${[...LOG_LEVELS].join(', ')}`);
  const demoSignIn = onOffFrom(env, 'BOARD_DEMO_SIGNIN');
  if (demoSignIn && (env.AUTH_JWKS_URL || env.AUTH_SECRET)) {
    throw new ConfigError('BOARD_DEMO_SIGNIN=on needs the development key: unset AUTH_JWKS_URL and AUTH_SECRET');
  }
  return {
    port: intFrom(env, 'PORT', 4000, 0, 65535),
    host: env.HOST ?? '127.0.0.1',
    neo4j: {
      uri: urlFrom(env, 'NEO4J_URI', ['bolt', 'bolt+s', 'bolt+ssc', 'neo4j', 'neo4j+s', 'neo4j+ssc']),
      username: env.NEO4J_USERNAME ?? 'neo4j',
      password: env.NEO4J_PASSWORD ?? 'neo4j',
      database: env.NEO4J_DATABASE || undefined,
    },
    redisUrl: urlFrom(env, 'REDIS_URL', ['redis', 'rediss']),
    auth: {
      jwksUrl: urlFrom(env, 'AUTH_JWKS_URL', ['http', 'https']),
      secret: env.AUTH_SECRET || undefined,
      issuer: env.AUTH_ISSUER ?? 'ison-hub-dev',
      audience: env.AUTH_AUDIENCE ?? 'ison-hub',
    },
    logLevel,
    localDir: path.resolve(env.ISON_LOCAL_DIR ?? path.join(__dirname, '..', '.local')),
    limits: {
      maxDepth: intFrom(env, 'MAX_QUERY_DEPTH', 12, 2, 100),
      maxAliases: intFrom(env, 'MAX_QUERY_ALIASES', 30, 1, 10000),
      maxComplexity: intFrom(env, 'MAX_QUERY_COMPLEXITY', 200000, 100, 100000000),
      maxPageSize: intFrom(env, 'MAX_PAGE_SIZE', 500, 1, 10000),
      maxStringLength: intFrom(env, 'MAX_STRING_LENGTH', 10000, 100, 1000000),
      principalCacheMs: intFrom(env, 'PRINCIPAL_CACHE_MS', 2000, 0, 600000),
      screeningPerMinute: intFrom(env, 'SCREENING_PER_MINUTE', 60, 1, 100000),
      maxTokens: intFrom(env, 'MAX_QUERY_TOKENS', 5000, 100, 1000000),
    },
    live: {
      initTimeoutMs: intFrom(env, 'WS_INIT_TIMEOUT_MS', 3000, 100, 600000),
      maxPayloadBytes: intFrom(env, 'WS_MAX_PAYLOAD_BYTES', 65536, 1024, 16777216),
      socketsPerPrincipal: intFrom(env, 'WS_SOCKETS_PER_PRINCIPAL', 10, 1, 100000),
      subscriptionsPerSocket: intFrom(env, 'WS_SUBSCRIPTIONS_PER_SOCKET', 20, 1, 10000),
      bufferedEvents: intFrom(env, 'WS_BUFFERED_EVENTS', 256, 1, 100000),
      contextRefreshMs: intFrom(env, 'WS_CONTEXT_REFRESH_MS', 60000, 1000, 86400000),
    },
    auditEnabled: env.AUDIT !== 'off',
    executor: oneOf(env, 'GRAPHQL_EXECUTOR', ['jit', 'graphql-js'] as const, 'jit'),
    resilience: {
      transactionTimeoutMs: intFrom(env, 'NEO4J_TX_TIMEOUT_MS', 30000, 10, 3600000),
      requestTimeoutMs: intFrom(env, 'REQUEST_TIMEOUT_MS', 30000, 10, 3600000),
      retryMs: intFrom(env, 'NEO4J_RETRY_MS', 5000, 0, 600000),
      shutdownGraceMs: intFrom(env, 'SHUTDOWN_GRACE_MS', 5000, 0, 600000),
    },
    auditJournalDir: !env.AUDIT_JOURNAL_DIR ? undefined : env.AUDIT_JOURNAL_DIR === 'off' ? null : path.resolve(env.AUDIT_JOURNAL_DIR),
    security,
    board: { explorer: onOffFrom(env, 'EXPLORER'), demoSignIn },
  };
}
