import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { OrgAccess } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { UnitOfWork } from '../database/unit-of-work.service';
import { PolicyDto, UpdatePolicyDto, mapPolicy } from './dto/policy.dto';
import { POLICY_SUBJECTS, PolicySubject } from './entities/reminder-policy.entity';
import { normalizeSteps } from './reminder-ladder';
import { policyOf } from './reminder-policy';
import { RemindersRepository } from './reminders.repository';

@Injectable()
export class ReminderPoliciesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: RemindersRepository,
    private readonly audit: AuditService,
  ) {}

  async list(organizationId: string): Promise<PolicyDto[]> {
    const rows = await this.uow.read((em) => this.repository.policies(em, organizationId));
    return POLICY_SUBJECTS.map((kind) => mapPolicy(policyOf(rows, kind)));
  }

  async update(access: OrgAccess, subjectKind: string, dto: UpdatePolicyDto): Promise<PolicyDto> {
    if (!(POLICY_SUBJECTS as readonly string[]).includes(subjectKind)) {
      throw new DomainError('REMINDER_POLICY_INVALID', `No policy for "${subjectKind}": use one of ${POLICY_SUBJECTS.join(', ')}`);
    }
    const kind = subjectKind as PolicySubject;
    const steps = normalizeSteps(dto.steps);
    const allowed = (s: number) => (kind === 'task' ? s === 1 || s === -1 : s >= 0);
    if (!steps.every(allowed))
      throw new DomainError('REMINDER_POLICY_INVALID', kind === 'task' ? 'Task steps are 1 and/or -1' : 'Steps are days >= 0');
    const escalateSteps = normalizeSteps(dto.escalateSteps);
    if (!escalateSteps.every((s) => steps.includes(s)))
      throw new DomainError('REMINDER_POLICY_INVALID', 'Every escalating step must be a step');
    return this.uow.run(async (tx) => {
      const rows = await this.repository.policies(tx.em, access.organizationId);
      const existing = rows.find((r) => r.subjectKind === kind);
      const now = new Date();
      const row = {
        id: existing?.id ?? randomUUID(),
        organizationId: access.organizationId,
        subjectKind: kind,
        steps,
        sendHour: dto.sendHour,
        channels: [...new Set(dto.channels)],
        escalateSteps,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
        version: (existing?.version ?? 0) + 1,
      };
      await this.repository.savePolicy(tx.em, row);
      await this.audit.append(tx, {
        organizationId: access.organizationId,
        actor: access.actor,
        action: 'reminder_policy.updated',
        entity: 'reminder_policy',
        entityId: row.id,
        data: { subjectKind: kind, steps, sendHour: row.sendHour, channels: row.channels, escalateSteps },
      });
      return mapPolicy({ ...row, custom: true });
    });
  }
}
