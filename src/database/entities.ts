import { AttachmentEntity } from '../attachments/attachment.entity';
import { AuditChainHeadEntity, AuditEventEntity } from '../audit/audit-event.entity';
import { ApiTokenEntity } from '../auth/entities/api-token.entity';
import { MembershipEntity } from '../auth/entities/membership.entity';
import { SessionEntity } from '../auth/entities/session.entity';
import { UserEntity } from '../auth/entities/user.entity';
import {
  CustodyAssignmentEntity,
  DeviceCertificateEntity,
  DeviceCredentialEntity,
  DeviceEventEntity,
  DeviceSmartCardEntity,
  HandoverReceiptEntity,
} from '../devices/entities/device-details.entity';
import { DeviceEntity } from '../devices/entities/device.entity';
import { HolderEntity } from '../holders/holder.entity';
import { BreachRecordEntity } from '../incidents/breach-record.entity';
import { IncidentEntity } from '../incidents/incident.entity';
import {
  IncidentAttachmentEntity,
  IncidentDeviceEntity,
  IncidentEventEntity,
  IncidentHolderEntity,
  IncidentWorkstationEntity,
} from '../incidents/incident-links.entity';
import { CallerCheckEntity } from '../interventions/caller-check.entity';
import { InterventionEntity, InterventionTechnicianEntity, InterventionWorkstationEntity } from '../interventions/intervention.entity';
import { ProviderEntity, TechnicianEntity } from '../interventions/provider.entity';
import { NominationEntity } from '../nominations/nomination.entity';
import { OrganizationEntity } from '../organizations/organization.entity';
import { CalendarFeedEntity } from '../reminders/entities/calendar-feed.entity';
import { ReminderPauseEntity } from '../reminders/entities/reminder-pause.entity';
import { ReminderPolicyEntity } from '../reminders/entities/reminder-policy.entity';
import { ReminderSweepStateEntity } from '../reminders/entities/reminder-sweep-state.entity';
import { ReminderEntity } from '../reminders/entities/reminder.entity';
import { WebhookEndpointEntity } from '../reminders/entities/webhook-endpoint.entity';
import { TaskWorkflowEventEntity } from '../tasks/task-workflow-event.entity';
import { TaskEntity } from '../tasks/task.entity';
import { WorkstationEntity } from '../workstations/workstation.entity';

/** Every entity, listed once: the app and the migration CLI load the same set. */
export const ENTITIES = [
  OrganizationEntity,
  UserEntity,
  MembershipEntity,
  SessionEntity,
  ApiTokenEntity,
  AuditEventEntity,
  AuditChainHeadEntity,
  // inventory (issue 4)
  HolderEntity,
  WorkstationEntity,
  DeviceEntity,
  DeviceCertificateEntity,
  DeviceSmartCardEntity,
  DeviceCredentialEntity,
  DeviceEventEntity,
  CustodyAssignmentEntity,
  HandoverReceiptEntity,
  TaskEntity,
  // attachments and nominations (issue 5)
  AttachmentEntity,
  NominationEntity,
  // reminders, notifications and the task workflow (issue 6)
  ReminderPolicyEntity,
  ReminderEntity,
  ReminderPauseEntity,
  ReminderSweepStateEntity,
  WebhookEndpointEntity,
  CalendarFeedEntity,
  TaskWorkflowEventEntity,
  // providers, interventions, caller checks, incidents and the breach register (issue 7)
  ProviderEntity,
  TechnicianEntity,
  InterventionEntity,
  InterventionTechnicianEntity,
  InterventionWorkstationEntity,
  CallerCheckEntity,
  IncidentEntity,
  IncidentDeviceEntity,
  IncidentHolderEntity,
  IncidentWorkstationEntity,
  IncidentAttachmentEntity,
  IncidentEventEntity,
  BreachRecordEntity,
];
