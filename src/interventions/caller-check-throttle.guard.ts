import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { AuthenticatedRequest } from '../auth/access.decorators';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, AppConfig } from '../config/configuration';

const MINUTE = 60_000;

/**
 * Brute force on the caller check (guessing a verification phrase) is bounded per member and per
 * Comune, with the sign-in's @nestjs/throttler storage. It runs after the global access guard, so
 * the caller is known; the key is the member, not the address (an office shares one address).
 */
@Injectable()
export class CallerCheckThrottleGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(options, storage, reflector);
  }

  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    const { callerChecksPerUserPerMinute, callerChecksPerOrgPerMinute } = this.config.incidents;
    this.throttlers = [
      {
        name: 'caller-check-member',
        ttl: MINUTE,
        limit: callerChecksPerUserPerMinute,
        getTracker: (req) => memberKey(req as AuthenticatedRequest),
      },
      {
        name: 'caller-check-comune',
        ttl: MINUTE,
        limit: callerChecksPerOrgPerMinute,
        getTracker: (req) => (req as AuthenticatedRequest).access?.organizationId ?? 'none',
      },
    ];
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new DomainError(
      'CALLER_CHECK_RATE_LIMITED',
      'Too many caller checks: wait a minute, and meanwhile do not proceed with the caller',
      {
        retryAfterSeconds: Math.max(1, Math.ceil(detail.timeToBlockExpire)),
      },
    );
  }
}

function memberKey(req: AuthenticatedRequest): string {
  const p = req.principal;
  const who = !p ? 'anonymous' : p.kind === 'user' ? `user:${p.userId}` : `token:${p.tokenId}`;
  return `${req.access?.organizationId ?? 'none'}:${who}`;
}
