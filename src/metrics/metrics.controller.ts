import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/access.decorators';
import { MetricsService } from './metrics.service';

/** Prometheus scrapes with `Authorization: Bearer <METRICS_TOKEN>` (no user session involved). */
@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Public()
  @ApiProduces('text/plain')
  @ApiOperation({
    summary: 'Prometheus metrics: devices by kind and status, expiring soon, reminders by state, queue depths, overdue tasks',
  })
  async scrape(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) res: Response): Promise<string> {
    this.metrics.authorize(authorization);
    res.setHeader('Content-Type', this.metrics.contentType());
    return this.metrics.render();
  }
}
