import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Controller, HttpCode, MiddlewareConsumer, Module, NestModule, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { Permission } from '../../auth/access.decorators';
import { AuthModule } from '../../auth/auth.module';
import { AuthService } from '../../auth/auth.service';
import { API_PREFIX } from '../../bootstrap';
import { QueueModule } from '../../queue/queue.module';
import { JobQueueService } from '../../queue/job-queue.service';

const BASE = `/${API_PREFIX}/admin/queues`;
const COOKIE = 'custode_dashboard';

/**
 * Bull Board for the platform superadmin. It is a plain Express router, outside the guard, so it
 * checks the caller itself: a superadmin session as bearer token, or (for the browser, which
 * cannot add a header to the board's own requests) in an HttpOnly cookie set by POST .../session.
 */
function dashboardAuth(auth: AuthService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const bearer = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(req.headers.authorization ?? '')?.[1];
    const cookie = /(?:^|;\s*)custode_dashboard=([A-Za-z0-9_-]{1,128})/.exec(req.headers.cookie ?? '')?.[1];
    const token = bearer ?? cookie;
    const deny = (status: number, code: string, detail: string) =>
      res.status(status).type('application/problem+json').send({ type: 'about:blank', title: detail, status, code, detail });
    if (!token) return void deny(401, 'UNAUTHENTICATED', 'Sign in first');
    auth
      .authenticate(token)
      .then((principal) => {
        if (!principal) return deny(401, 'UNAUTHENTICATED', 'Sign in first');
        if (principal.kind !== 'user' || !principal.isSuperadmin || principal.mustChangePassword) {
          return deny(403, 'FORBIDDEN', 'Only the platform administrator can see the queues');
        }
        next();
      })
      .catch(next);
  };
}

@ApiTags('queues')
@ApiBearerAuth()
@Controller('admin/queue-dashboard')
export class QueueDashboardController {
  @Post('session')
  @HttpCode(204)
  @Permission('queue.dashboard')
  @ApiOperation({ summary: `Set the HttpOnly cookie that opens the queue dashboard (${BASE}) in this browser` })
  session(@Req() req: Request, @Res({ passthrough: true }) res: Response): void {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    res.cookie(COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: BASE });
  }
}

@Module({ imports: [AuthModule, QueueModule], controllers: [QueueDashboardController] })
export class QueueDashboardModule implements NestModule {
  constructor(
    private readonly auth: AuthService,
    private readonly jobs: JobQueueService,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    const adapter = new ExpressAdapter();
    adapter.setBasePath(BASE);
    createBullBoard({ queues: this.jobs.all().map((q) => new BullMQAdapter(q, { readOnlyMode: false })), serverAdapter: adapter });
    consumer.apply(dashboardAuth(this.auth), adapter.getRouter()).forRoutes('admin/queues', 'admin/queues/*path');
  }
}
