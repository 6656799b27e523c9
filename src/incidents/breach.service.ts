import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { OrgAccess } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { assertVersion } from '../common/http/if-match';
import { Clock } from '../common/time';
import { italianDateTime } from '../common/time/italian-format';
import { Tx, UnitOfWork } from '../database/unit-of-work.service';
import { BreachRecordEntity } from './breach-record.entity';
import {
  BREACH_ASSESSMENT_LABELS_IT,
  BREACH_RISK_LABELS_IT,
  BreachAssessmentDto,
  BreachDetailsDto,
  BreachDto,
  DataSubjectsDto,
  FlagBreachDto,
  GaranteNotificationDto,
  SUBJECTS_DECISION_LABELS_IT,
  UpdateBreachDto,
} from './dto/breach.dto';
import { deadlineOf } from './gdpr-clock';
import { IncidentEntity } from './incident.entity';
import { assertNotClosed, assertVisible, saveIncident } from './incident-access';
import { INCIDENT_CLOCK } from './incident-clock';
import { IncidentNotifier } from './incident-notifier';
import { IncidentTimeline } from './incident-timeline';
import { mapBreach } from './incident-views';
import { IncidentsRepository } from './incidents.repository';

/** Risks under which a reasoned decision not to notify stands (art. 33(1): "unlikely to result in a risk"). */
const NO_NOTIFY_RISKS = ['no_breach', 'unlikely_risk'];

/**
 * The GDPR side of an incident: the 72-hour clock from awareness, its reminders to the ALS and the
 * DPO contact (through the reminder ledger, stopped by the assessment), the assessment with its
 * reasons, the notifications to the Garante and the decision about the people concerned (art. 34).
 */
@Injectable()
export class BreachService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: IncidentsRepository,
    private readonly timeline: IncidentTimeline,
    private readonly notifier: IncidentNotifier,
    private readonly audit: AuditService,
    @Inject(INCIDENT_CLOCK) private readonly clock: Clock,
  ) {}

  /** Puts the incident in the art. 33(5) register and starts the reminders, in the caller's transaction. */
  async flagInTx(
    tx: Tx,
    actor: Actor,
    incident: IncidentEntity,
    awareAt: Date,
    details: BreachDetailsDto = {},
  ): Promise<BreachRecordEntity> {
    if (await this.repository.findBreach(tx.em, incident.organizationId, incident.id)) {
      throw new DomainError('BREACH_ALREADY_FLAGGED', `Incident ${incident.number} is already in the breach register`);
    }
    const org = await this.repository.organization(tx.em, incident.organizationId);
    const now = this.clock.now();
    const row: BreachRecordEntity = {
      id: randomUUID(),
      organizationId: incident.organizationId,
      incidentId: incident.id,
      awareAt,
      deadlineAt: deadlineOf(awareAt),
      flaggedAt: now,
      flaggedBy: actor.label,
      dpoContact: org?.settings.dpoEmail ?? null,
      nature: details.nature ?? null,
      dataCategories: details.dataCategories ?? [],
      subjectsApprox: details.subjectsApprox ?? null,
      recordsApprox: details.recordsApprox ?? null,
      consequences: details.consequences ?? null,
      measures: details.measures ?? null,
      assessment: null,
      risk: null,
      assessmentReasons: null,
      assessedAt: null,
      assessedBy: null,
      preliminaryNotifiedAt: null,
      preliminaryReference: null,
      completeNotifiedAt: null,
      completeReference: null,
      delayReasons: null,
      subjectsDecision: null,
      subjectsInformedAt: null,
      subjectsNote: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await this.repository.insertBreach(tx.em, row);
    incident.possibleBreach = true;
    const reminders = await this.notifier.scheduleBreachRemindersInTx(tx, incident, row);
    await this.timeline.add(
      tx,
      incident,
      actor,
      'breach_flagged',
      `Possibile violazione di dati personali, iscritta nel registro delle violazioni (art. 33, par. 5, GDPR). ` +
        `Conoscenza acquisita il ${italianDateTime(awareAt)}; le 72 ore per la notifica al Garante scadono il ${italianDateTime(row.deadlineAt)}. ` +
        `Promemoria a 24, 48 e 66 ore all'Amministratore locale della sicurezza e al contatto del RPD (${row.dpoContact ?? 'non indicato nelle impostazioni del Comune'}).`,
      { awareAt: awareAt.toISOString(), deadlineAt: row.deadlineAt.toISOString(), reminders },
    );
    await this.audit.append(tx, {
      organizationId: incident.organizationId,
      actor,
      action: 'breach.flagged',
      entity: 'incident',
      entityId: incident.id,
      data: { awareAt: awareAt.toISOString(), deadlineAt: row.deadlineAt.toISOString(), reminders },
    });
    return row;
  }

  async flag(access: OrgAccess, incidentId: string, dto: FlagBreachDto): Promise<BreachDto> {
    return this.uow.run(async (tx) => {
      const incident = await this.incident(tx, access, incidentId);
      const awareAt = dto.awareAt ? this.awareAt(dto.awareAt) : incident.awareAt;
      const row = await this.flagInTx(tx, access.actor, incident, awareAt, dto);
      await saveIncident(this.repository, tx, incident);
      return mapBreach(row, this.clock.now());
    });
  }

  /** Completes the facts (nature, categories, numbers, consequences, measures) or corrects awareness. */
  async update(access: OrgAccess, incidentId: string, expected: number, dto: UpdateBreachDto): Promise<BreachDto> {
    return this.change(access, incidentId, expected, async (tx, incident, b) => {
      const changed = Object.keys(dto).filter((k) => k !== 'version');
      for (const key of ['nature', 'dataCategories', 'subjectsApprox', 'recordsApprox', 'consequences', 'measures'] as const) {
        if (dto[key] !== undefined) Object.assign(b, { [key]: dto[key] });
      }
      if (dto.awareAt !== undefined && this.awareAt(dto.awareAt).getTime() !== b.awareAt.getTime()) {
        b.awareAt = this.awareAt(dto.awareAt);
        b.deadlineAt = deadlineOf(b.awareAt);
        // The reminders count from awareness: the old ones stop, the new ones start (unless assessed).
        await this.notifier.cancelBreachRemindersInTx(tx, incident, 'aware_at_changed');
        if (b.assessment === null) await this.notifier.scheduleBreachRemindersInTx(tx, incident, b);
      }
      await this.timeline.add(
        tx,
        incident,
        access.actor,
        'breach_updated',
        `Dati della violazione aggiornati (${changed.join(', ')}). Scadenza delle 72 ore: ${italianDateTime(b.deadlineAt)}.`,
        {
          fields: changed,
        },
      );
    });
  }

  /** The assessment stops the reminders: the decision, with its reasons, is in the register. */
  async assess(access: OrgAccess, incidentId: string, dto: BreachAssessmentDto): Promise<BreachDto> {
    const risky = !NO_NOTIFY_RISKS.includes(dto.risk);
    if ((dto.assessment === 'no_notify') === risky) {
      throw new DomainError(
        'BREACH_ASSESSMENT_INCONSISTENT',
        dto.assessment === 'no_notify'
          ? 'Not notifying stands only when the breach is unlikely to result in a risk'
          : 'Notify only a breach that results in a risk',
        { assessment: dto.assessment, risk: dto.risk },
      );
    }
    return this.change(access, incidentId, null, async (tx, incident, b) => {
      Object.assign(b, {
        assessment: dto.assessment,
        risk: dto.risk,
        assessmentReasons: dto.reasons,
        assessedAt: this.clock.now(),
        assessedBy: access.actor.label,
      });
      const stopped = await this.notifier.cancelBreachRemindersInTx(tx, incident, 'assessment_recorded');
      await this.timeline.add(
        tx,
        incident,
        access.actor,
        'breach_assessed',
        `Valutazione registrata: ${BREACH_ASSESSMENT_LABELS_IT[dto.assessment].toLowerCase()}; ${BREACH_RISK_LABELS_IT[dto.risk].toLowerCase()}. Motivi: ${dto.reasons}` +
          (stopped > 0 ? ` Promemoria GDPR interrotti: ${stopped}.` : ''),
        { assessment: dto.assessment, risk: dto.risk, remindersStopped: stopped },
      );
    });
  }

  async notifyGarante(access: OrgAccess, incidentId: string, dto: GaranteNotificationDto): Promise<BreachDto> {
    const notifiedAt = new Date(dto.notifiedAt);
    if (notifiedAt.getTime() > this.clock.now().getTime() + 5 * 60_000)
      throw new DomainError('INCIDENT_TIMES_INVALID', 'notifiedAt cannot be in the future');
    return this.change(access, incidentId, null, async (tx, incident, b) => {
      if (b.assessment === 'no_notify') {
        throw new DomainError('BREACH_NOT_TO_NOTIFY', 'The assessment says not to notify: record a new assessment first');
      }
      const late =
        notifiedAt > b.deadlineAt &&
        !(dto.kind === 'complete' && b.preliminaryNotifiedAt !== null && b.preliminaryNotifiedAt <= b.deadlineAt);
      if (late && !dto.delayReasons && !b.delayReasons) {
        throw new DomainError('BREACH_DELAY_REASONS_REQUIRED', 'Notified after 72 hours: give the reasons for the delay (art. 33(1))', {
          deadlineAt: b.deadlineAt.toISOString(),
        });
      }
      if (dto.kind === 'preliminary') Object.assign(b, { preliminaryNotifiedAt: notifiedAt, preliminaryReference: dto.reference });
      else Object.assign(b, { completeNotifiedAt: notifiedAt, completeReference: dto.reference });
      if (dto.delayReasons) b.delayReasons = dto.delayReasons;
      await this.notifier.cancelBreachRemindersInTx(tx, incident, 'garante_notified');
      await this.timeline.add(
        tx,
        incident,
        access.actor,
        'garante_notified',
        `Notifica ${dto.kind === 'preliminary' ? 'preliminare' : 'completa'} al Garante per la protezione dei dati personali inviata il ${italianDateTime(notifiedAt)} (riferimento ${dto.reference})` +
          (late ? `, oltre le 72 ore. Motivi del ritardo: ${dto.delayReasons ?? b.delayReasons ?? ''}` : '.'),
        { kind: dto.kind, notifiedAt: notifiedAt.toISOString(), reference: dto.reference, late },
      );
    });
  }

  /** Art. 34: the people concerned were told, or why not. */
  async dataSubjects(access: OrgAccess, incidentId: string, dto: DataSubjectsDto): Promise<BreachDto> {
    if (dto.decision === 'informed' && !dto.informedAt) {
      throw new DomainError('VALIDATION_FAILED', 'informedAt is required when the people concerned were informed', {
        errors: [{ field: 'informedAt', messages: ['informedAt is required when decision is informed'] }],
      });
    }
    return this.change(access, incidentId, null, async (tx, incident, b) => {
      const informedAt = dto.decision === 'informed' && dto.informedAt ? new Date(dto.informedAt) : null;
      Object.assign(b, { subjectsDecision: dto.decision, subjectsInformedAt: informedAt, subjectsNote: dto.note });
      await this.timeline.add(
        tx,
        incident,
        access.actor,
        'data_subjects',
        `Interessati (art. 34 GDPR): ${SUBJECTS_DECISION_LABELS_IT[dto.decision].toLowerCase()}${informedAt ? ` il ${italianDateTime(informedAt)}` : ''}. ${dto.note}`,
        { decision: dto.decision, informedAt: informedAt?.toISOString() ?? null },
      );
    });
  }

  private async change(
    access: OrgAccess,
    incidentId: string,
    expected: number | null,
    apply: (tx: Tx, incident: IncidentEntity, breach: BreachRecordEntity) => Promise<void>,
  ): Promise<BreachDto> {
    return this.uow.run(async (tx) => {
      const incident = await this.incident(tx, access, incidentId);
      const b = await this.repository.findBreach(tx.em, access.organizationId, incident.id);
      if (!b) throw new DomainError('BREACH_NOT_FLAGGED', `Incident ${incident.number} is not flagged as a possible personal-data breach`);
      const version = b.version;
      if (expected !== null) assertVersion('breach record', version, expected);
      await apply(tx, incident, b);
      b.updatedAt = new Date();
      if (!(await this.repository.updateBreachIfVersion(tx.em, b, version))) assertVersion('breach record', version + 1, version);
      b.version = version + 1;
      await this.audit.append(tx, {
        organizationId: access.organizationId,
        actor: access.actor,
        action: 'breach.updated',
        entity: 'incident',
        entityId: incident.id,
        data: {
          assessment: b.assessment,
          risk: b.risk,
          preliminary: b.preliminaryReference,
          complete: b.completeReference,
          subjects: b.subjectsDecision,
        },
      });
      return mapBreach(b, this.clock.now());
    });
  }

  private async incident(tx: Tx, access: OrgAccess, id: string): Promise<IncidentEntity> {
    const incident = await this.repository.findIncident(tx.em, access.organizationId, id);
    assertVisible(access, incident);
    assertNotClosed(incident);
    return incident;
  }

  private awareAt(iso: string): Date {
    const at = new Date(iso);
    if (at.getTime() > this.clock.now().getTime() + 5 * 60_000)
      throw new DomainError('INCIDENT_TIMES_INVALID', 'awareAt cannot be in the future');
    return at;
  }
}
