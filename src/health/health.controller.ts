import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '../auth/access.decorators';
import { RedisHealthService } from './redis-health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthService,
  ) {}

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'The process is running' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Ready when the database answers. Redis is reported but does not make the service unready:
   * requests keep working without it (work waits in the database outbox), so a load balancer
   * must not take the API out of rotation for a Redis outage.
   */
  @Get('ready')
  @Public()
  @ApiOperation({ summary: 'Database and Redis status; 503 only when the database is down' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<Record<string, unknown>> {
    const [database, redis] = await Promise.all([
      this.health.check([() => this.db.pingCheck('database', { timeout: 2000 })]).then(
        (r) => ({ up: true, detail: r.details.database }),
        () => ({ up: false, detail: { status: 'down' } }),
      ),
      this.redis.ping(),
    ]);
    const redisDetail = redis.up ? { status: 'up', latencyMs: redis.latencyMs } : { status: 'down', error: redis.error, critical: false };
    if (!database.up) res.status(503);
    return {
      status: !database.up ? 'error' : redis.up ? 'ok' : 'degraded',
      details: { database: database.detail, redis: redisDetail },
    };
  }
}
