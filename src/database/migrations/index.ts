import { Foundation1763800000000 } from './1763800000000-foundation';
import { Inventory1763900000000 } from './1763900000000-inventory';
import { Attachments1764000000000 } from './1764000000000-attachments';
import { Nominations1764000000001 } from './1764000000001-nominations';
import { Reminders1764100000000 } from './1764100000000-reminders';
import { Interventions1764200000000 } from './1764200000000-interventions';
import { Incidents1764200000001 } from './1764200000001-incidents';
import { DeviceSuccessorIndex1764300000000 } from './1764300000000-device-successor-index';
import { ReminderLadders1764300000617 } from './1764300000617-reminder-ladders';

/** Every migration, in order. Listed (not globbed) so ts-jest and the compiled app load the same. */
export const MIGRATIONS = [
  Foundation1763800000000,
  Inventory1763900000000,
  Attachments1764000000000,
  Nominations1764000000001,
  Reminders1764100000000,
  Interventions1764200000000,
  Incidents1764200000001,
  DeviceSuccessorIndex1764300000000,
  ReminderLadders1764300000617,
];
