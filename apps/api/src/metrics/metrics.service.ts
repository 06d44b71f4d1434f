import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { MetricsRepository } from './metrics.repository';

/**
 * Prometheus metrics on a registry of this app's own (not prom-client's global one), so several
 * app instances in one process (the tests) do not collide.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route' | 'status'>;

  constructor(metrics: MetricsRepository) {
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request to response, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    const poolGauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      });
    poolGauge('db_pool_connections_total', 'Connections open in the database pool', () => metrics.poolCounters().total);
    poolGauge('db_pool_connections_idle', 'Idle connections in the database pool', () => metrics.poolCounters().idle);
    poolGauge('db_pool_requests_waiting', 'Queries waiting for a free database connection', () => metrics.poolCounters().waiting);
    poolGauge('db_pool_connections_max', 'Configured size of the database pool', () => metrics.poolCounters().max);

    // The notification backlog: a growing PENDING count means mail or webhooks are not getting out.
    new Gauge({
      name: 'notifications',
      help: 'Notifications waiting or being retried (PENDING) and given up (FAILED)',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        try {
          const backlog = await metrics.notificationBacklog();
          for (const status of ['PENDING', 'FAILED'] as const) this.set({ status }, backlog[status]);
        } catch {
          // The database is down: /health/ready says so; the scrape still answers.
        }
      },
    });
    new Gauge({
      name: 'outbox_events_undispatched',
      help: 'Events not yet turned into notifications',
      registers: [this.registry],
      async collect() {
        try {
          this.set(await metrics.undispatchedEvents());
        } catch {
          // As above.
        }
      },
    });
  }

  /** Express middleware: times each request and labels it with the matched route pattern. */
  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    const stopTimer = this.duration.startTimer();
    response.once('finish', () => {
      // A route pattern (`/api/v1/states/:code`), never the raw URL: label values must stay few.
      const route = request.route?.path ? `${request.baseUrl}${String(request.route.path)}` : 'unmatched';
      const labels = { method: request.method, route, status: String(response.statusCode) };
      stopTimer(labels);
      this.requests.inc(labels);
    });
    next();
  };
}
