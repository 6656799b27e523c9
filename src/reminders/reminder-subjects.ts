import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { ReminderEntity, SubjectType } from './entities/reminder.entity';

/** The text of a message about a subject another module owns. */
export interface SubjectMessage {
  subject: string;
  lines: string[];
  /** The `type` of the webhook body. */
  webhookType: string;
}

/** What the composer and the worker's safety net ask the module that owns a subject. */
export interface ReminderSubjectHandler {
  compose(em: EntityManager, row: ReminderEntity): Promise<SubjectMessage>;
  /** Why an open row must not go out any more, or null. */
  obsoleteReason(em: EntityManager, row: ReminderEntity): Promise<string | null>;
}

/**
 * Subjects other modules own (an incident): they register a handler at start (onModuleInit), so
 * the reminders module never imports them.
 */
@Injectable()
export class ReminderSubjects {
  private readonly handlers = new Map<SubjectType, ReminderSubjectHandler>();

  /** Registers the owner of `type`; returns a function that restores the previous one (tests). */
  register(type: Exclude<SubjectType, 'device' | 'task'>, handler: ReminderSubjectHandler): () => void {
    const previous = this.handlers.get(type);
    this.handlers.set(type, handler);
    return () => (previous ? this.handlers.set(type, previous) : this.handlers.delete(type));
  }

  get(type: SubjectType): ReminderSubjectHandler | null {
    return this.handlers.get(type) ?? null;
  }
}
