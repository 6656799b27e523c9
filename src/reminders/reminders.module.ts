import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { QueueModule } from '../queue/queue.module';
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

/**
 * Reminders: policies, the ledger, the sweep, the outbox dispatcher and delivery. Other modules
 * call `ReminderSweepService.onDeviceChanged(tx, deviceId)` in the transaction that changed a device.
 */
@Module({
  imports: [AuditModule, QueueModule],
  controllers: [RemindersController],
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
  ],
  exports: [
    ReminderSweepService,
    ReminderDispatcher,
    NotificationDeliveryService,
    RemindersRepository,
    WebhookSender,
    reminderClockProvider,
  ],
})
export class RemindersModule {}
