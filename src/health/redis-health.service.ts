import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/configuration';
import { redisOptionsFromUrl } from '../queue/redis-options';

/** A dedicated, fail-fast Redis client for readiness: a ping never waits for a reconnect. */
@Injectable()
export class RedisHealthService implements OnModuleDestroy {
  private readonly client: Redis;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.client = new Redis({
      ...redisOptionsFromUrl(config.redis.url),
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      retryStrategy: () => 1000,
    });
    this.client.on('error', () => undefined); // reported by ping(), not as an unhandled event
  }

  async ping(timeoutMs = 1000): Promise<{ up: boolean; latencyMs?: number; error?: string }> {
    const started = performance.now();
    try {
      if (this.client.status === 'wait') await this.client.connect();
      await Promise.race([
        this.client.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
      ]);
      return { up: true, latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { up: false, error: error instanceof Error ? error.message : 'unreachable' };
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.client.disconnect();
  }
}
