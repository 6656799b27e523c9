import { timingSafeEqual, createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { In, LessThan } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { romeDate } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/configuration';
import { UnitOfWork } from '../database/unit-of-work.service';
import { DeviceEntity } from '../devices/entities/device.entity';
import { JobQueueService } from '../queue/job-queue.service';
import { RemindersRepository } from '../reminders/reminders.repository';
import { TaskEntity } from '../tasks/task.entity';

const DAY = 86_400_000;

/**
 * Prometheus metrics, computed from the database (and Redis for queue depths). Several Prometheus
 * servers scraping every few seconds must not each group the whole inventory: the text is computed
 * at most every METRICS_CACHE_SECONDS (30) per process, and scrapes that arrive while it is being
 * computed wait for that one computation (single flight). On PostgreSQL both device queries are
 * index-only scans (ix_devices_org_kind_status, ix_devices_org_expires_at; see docs/reminders.md).
 * A registry of its own, so nothing global leaks between application instances.
 */
@Injectable()
export class MetricsService {
  private readonly registry = new Registry();
  private readonly devices = new Gauge({
    name: 'custode_devices',
    help: 'Devices by kind and status',
    labelNames: ['kind', 'status'],
    registers: [this.registry],
  });
  private readonly expiring = new Gauge({
    name: 'custode_devices_expiring',
    help: 'Devices (any status) expiring within the window from now',
    labelNames: ['within'],
    registers: [this.registry],
  });
  private readonly reminders = new Gauge({
    name: 'custode_reminders',
    help: 'Reminder ledger rows by state',
    labelNames: ['state'],
    registers: [this.registry],
  });
  private readonly queues = new Gauge({
    name: 'custode_queue_jobs',
    help: 'Jobs by queue and state',
    labelNames: ['queue', 'state'],
    registers: [this.registry],
  });
  private readonly redisUp = new Gauge({
    name: 'custode_redis_up',
    help: '1 when the queue depths could be read',
    registers: [this.registry],
  });
  private readonly overdue = new Gauge({
    name: 'custode_tasks_overdue',
    help: 'Open or requested tasks past their due day',
    registers: [this.registry],
  });

  /** The last text and when (performance.now()) its computation started. */
  private snapshot: { startedAt: number; text: string } | null = null;
  private inflight: Promise<string> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly ledger: RemindersRepository,
    private readonly jobs: JobQueueService,
  ) {}

  /** Bearer METRICS_TOKEN, compared in constant time; no token configured: the endpoint is off. */
  authorize(header: string | undefined): void {
    const expected = this.config.reminders.metricsToken;
    if (expected === null) throw new DomainError('METRICS_DISABLED', 'Metrics are disabled: set METRICS_TOKEN');
    const given = /^Bearer (\S+)$/.exec(header ?? '')?.[1] ?? '';
    const digest = (v: string) => createHash('sha256').update(v).digest();
    if (!timingSafeEqual(digest(given), digest(expected)))
      throw new DomainError('UNAUTHENTICATED', 'Send "Authorization: Bearer <METRICS_TOKEN>"');
  }

  contentType(): string {
    return this.registry.contentType;
  }

  /** The metrics text: the last one if computed less than METRICS_CACHE_SECONDS ago, else a fresh one shared by concurrent callers. */
  render(): Promise<string> {
    const maxAgeMs = this.config.reminders.metricsCacheSeconds * 1000;
    if (this.snapshot && performance.now() - this.snapshot.startedAt < maxAgeMs) return Promise.resolve(this.snapshot.text);
    if (!this.inflight) {
      const startedAt = performance.now();
      this.inflight = this.compute()
        .then((text) => {
          this.snapshot = { startedAt, text };
          return text;
        })
        .finally(() => {
          this.inflight = null;
        });
    }
    return this.inflight;
  }

  /** Only ever one at a time (render): the gauges are reset and filled in place. */
  private async compute(): Promise<string> {
    const now = new Date();
    await this.uow.read(async (em) => {
      const byKind = await em
        .getRepository(DeviceEntity)
        .createQueryBuilder('d')
        .select('d.kind', 'kind')
        .addSelect('d.status', 'status')
        .addSelect('COUNT(*)', 'count')
        .groupBy('d.kind')
        .addGroupBy('d.status')
        .getRawMany<{ kind: string; status: string; count: string | number }>();
      this.devices.reset();
      for (const r of byKind) this.devices.set({ kind: r.kind, status: r.status }, Number(r.count));
      // One range read for both windows.
      const expiring = await em
        .getRepository(DeviceEntity)
        .createQueryBuilder('d')
        .select('COALESCE(SUM(CASE WHEN d.expires_at < :until30 THEN 1 ELSE 0 END), 0)', 'within30')
        .addSelect('COUNT(*)', 'within90')
        .where('d.expires_at >= :now AND d.expires_at < :until90', {
          now,
          until30: new Date(now.getTime() + 30 * DAY),
          until90: new Date(now.getTime() + 90 * DAY),
        })
        .getRawOne<{ within30: string | number; within90: string | number }>();
      this.expiring.set({ within: '30d' }, Number(expiring?.within30 ?? 0));
      this.expiring.set({ within: '90d' }, Number(expiring?.within90 ?? 0));
      this.reminders.reset();
      for (const r of await this.ledger.countByState(em)) this.reminders.set({ state: r.state }, r.count);
      this.overdue.set(await em.getRepository(TaskEntity).countBy({ status: In(['open', 'requested']), dueOn: LessThan(romeDate(now)) }));
    });
    this.queues.reset();
    try {
      const depths = await Promise.race([
        this.jobs.depths(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000).unref()),
      ]);
      for (const [queue, counts] of Object.entries(depths))
        for (const [state, n] of Object.entries(counts)) this.queues.set({ queue, state }, n);
      this.redisUp.set(1);
    } catch {
      this.redisUp.set(0);
    }
    return this.registry.metrics();
  }
}
