import { AuditVerifyCommand } from './audit-verify.command';
import { BackupCommand } from './backup.command';
import { ImportCommand } from './import.command';
import { MemberAddCommand } from './member-add.command';
import { OrgCreateCommand } from './org-create.command';
import { RemindersSweepCommand } from './reminders-sweep.command';
import { UserCreateCommand } from './user-create.command';

/** Every command of `npm run cli`. A new command: one file in this folder, one entry here. */
export const CLI_COMMANDS = [
  OrgCreateCommand,
  UserCreateCommand,
  MemberAddCommand,
  AuditVerifyCommand,
  BackupCommand,
  ImportCommand,
  RemindersSweepCommand,
];
