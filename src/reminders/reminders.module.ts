import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { QueueModule } from '../queue/queue.module';
import { CalendarFeedService } from './calendar/calendar-feed.service';
import { CalendarController } from './calendar/calendar.controller';
import { DayLaddersRepository } from './day-ladders.repository';
import { ChannelsController } from './channels.controller';
import { MailTransport } from './delivery/mail-transport';
import { MessageComposer } from './delivery/message-composer';
import { NotificationDeliveryService } from './delivery/notification-delivery.service';
import { WebhookSender } from './delivery/webhook-sender';
import { reminderClockProvider } from './reminder-clock';
import { ReminderDispatcher } from './reminder-dispatcher.service';
import { ReminderPoliciesService } from './reminder-policies.service';
import { ReminderSweepFanOut } from './reminder-sweep-fanout.service';
import { ReminderSweepService } from './reminder-sweep.service';
import { RemindersController } from './reminders.controller';
import { RemindersRepository } from './reminders.repository';
import { RemindersService } from './reminders.service';
import { NominationReminders } from './nomination-reminders.service';
import { NoticesService } from './notices.service';
import { ReminderSubjects } from './reminder-subjects';
import { RotationReminders } from './rotation-reminders.service';
import { WebhooksService } from './webhooks.service';

/**
 * Reminders: policies, the ledger, the sweep, the outbox dispatcher and delivery. Other modules
 * call `ReminderSweepService.onDeviceChanged(tx, deviceId)` in the transaction that changed a device,
 * `NominationReminders.onNominationChanged(tx, nominationId)` in the one that changed a nomination.
 */
@Module({
  imports: [AuditModule, AuthModule, QueueModule],
  controllers: [RemindersController, ChannelsController, CalendarController],
  providers: [
    reminderClockProvider,
    RemindersRepository,
    ReminderSweepService,
    ReminderSweepFanOut,
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
    DayLaddersRepository,
    NominationReminders,
    RotationReminders,
  ],
  exports: [
    NoticesService,
    NominationReminders,
    ReminderSubjects,
    ReminderSweepService,
    ReminderSweepFanOut,
    ReminderDispatcher,
    NotificationDeliveryService,
    RemindersRepository,
    WebhookSender,
    reminderClockProvider,
  ],
})
export class RemindersModule {}
