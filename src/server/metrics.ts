import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one hub, served at GET /metrics. */
export class HubMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'isonhub_graphql_requests_total',
    help: 'GraphQL operations by type and outcome',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'isonhub_graphql_duration_seconds',
    help: 'GraphQL operation duration',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly executions = new Counter({
    name: 'isonhub_graphql_executions_total',
    help: 'Operations executed over HTTP, by executor: graphql-jit (compiled) or graphql-js (mutations, and what graphql-jit did not take)',
    labelNames: ['executor'] as const,
    registers: [this.registry],
  });
    readonly cypher = new Counter({
    name: 'isonhub_cypher_statements_total',
    help: 'Cypher statements sent to Neo4j',
    registers: [this.registry],
  });

  constructor(auditBacklog: () => number = () => 0) {
    collectDefaultMetrics({ register: this.registry, prefix: 'isonhub_' });
    new Gauge({
      name: 'isonhub_audit_journal_backlog',
      help: 'Audit events on disk in the journal that Neo4j has not taken yet (alert when it keeps growing)',
      registers: [this.registry],
      collect() {
        this.set(auditBacklog());
      },
    });
  }
}
