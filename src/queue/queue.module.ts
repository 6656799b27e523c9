import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/configuration';
import { JobQueueService } from './job-queue.service';
import { QueueName } from './jobs';
import { redisOptionsFromUrl } from './redis-options';

@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        prefix: config.redis.prefix,
        // null: workers wait out a Redis outage instead of failing every command.
        connection: { ...redisOptionsFromUrl(config.redis.url), maxRetriesPerRequest: null },
      }),
    }),
    BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name }))),
  ],
  providers: [JobQueueService],
  exports: [JobQueueService, BullModule],
})
export class QueueModule {}
