import { Module } from '@nestjs/common';
import { QueueModule } from '../queue/queue.module';
import { RemindersModule } from '../reminders/reminders.module';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

@Module({
  imports: [QueueModule, RemindersModule],
  controllers: [MetricsController],
  providers: [MetricsService],
})
export class MetricsModule {}
