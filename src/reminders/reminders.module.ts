import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { QueueModule } from '../queue/queue.module';
import { CalendarFeedService } from './calendar/calendar-feed.service';
import { CalendarController } from './calendar/calendar.controller';
import { ChannelsController } from './channels.controller';
import { MailTransport } from './delivery/mail-transport';
import { MessageComposer } from './delivery/message-composer';
import { NotificationDeliveryService } from './delivery/notification-delivery.service';
import { WebhookSender } from './delivery/webhook-sender';
import { reminderClockProvider } from './reminder-clock';
import { ReminderDispatcher } from './reminder-dispatcher.service';
import { ReminderPoliciesService } from './reminder-policies.service';
import { ReminderSweepService } from './reminder-sweep.service';
import { RemindersController } from './reminders.controller';
import { RemindersRepository } from './reminders.repository';
import { RemindersService } from './reminders.service';
import { NoticesService } from './notices.service';
import { ReminderSubjects } from './reminder-subjects';
import { WebhooksService } from './webhooks.service';

/**
 * Reminders: policies, the ledger, the sweep, the outbox dispatcher and delivery. Other modules
 * call `ReminderSweepService.onDeviceChanged(tx, deviceId)` in the transaction that changed a device.
 */
@Module({
  imports: [AuditModule, AuthModule, QueueModule],
  controllers: [RemindersController, ChannelsController, CalendarController],
  providers: [
    reminderClockProvider,
    RemindersRepository,
    ReminderSweepService,
    ReminderDispatcher,
    RemindersService,
    ReminderPoliciesService,
    MessageComposer,
    MailTransport,
    WebhookSender,
    NotificationDeliveryService,
    WebhooksService,
    CalendarFeedService,
    ReminderSubjects,
    NoticesService,
  ],
  exports: [
    NoticesService,
    ReminderSubjects,
    ReminderSweepService,
    ReminderDispatcher,
    NotificationDeliveryService,
    RemindersRepository,
    WebhookSender,
    reminderClockProvider,
  ],
})
export class RemindersModule {}
