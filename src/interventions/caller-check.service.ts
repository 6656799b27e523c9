import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { OrgAccess } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { DEFAULT_PAGE_SIZE, Page, decodeCursor, toPage } from '../common/http/pagination';
import { Clock } from '../common/time';
import { italianWindow } from '../common/time/italian-format';
import { APP_CONFIG, AppConfig } from '../config/configuration';
import { Tx, UnitOfWork } from '../database/unit-of-work.service';
import { WorkstationsService } from '../workstations/workstations.service';
import { CallerCheckEntity, CallerCheckOutcome, CallerCheckReason } from './caller-check.entity';
import { callerCheckText } from './caller-check-messages';
import { CallerCheckLogDto, CallerCheckQueryDto, CallerCheckRequestDto, CallerCheckResultDto } from './dto/caller-check.dto';
import { INTERVENTION_CHANNEL_LABELS_IT } from './dto/intervention.dto';
import { InterventionEntity } from './intervention.entity';
import { INTERVENTION_CLOCK } from './intervention-clock';
import { MAX_WRONG_PHRASES } from './intervention-views';
import { InterventionsRepository } from './interventions.repository';
import { normalizeCompany, normalizePersonName } from './name-matching';
import { ProviderEntity } from './provider.entity';
import { PhraseHasher } from './verification-phrase';

interface Verdict {
  outcome: CallerCheckOutcome;
  reason: CallerCheckReason;
  provider: ProviderEntity | null;
  intervention: InterventionEntity | null;
}

/** Roles that may file a quick report from any member's check (others only from their own). */
const SEES_ALL_CHECKS = ['security_admin', 'superadmin'];

/**
 * "Is this caller expected?" Matches what the caller claims against the interventions agreed in
 * advance, now. Every check is recorded, whatever the answer; the phrase itself never is.
 */
@Injectable()
export class CallerCheckService {
  private readonly hasher: PhraseHasher;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: InterventionsRepository,
    private readonly workstations: WorkstationsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(INTERVENTION_CLOCK) private readonly clock: Clock,
  ) {
    this.hasher = new PhraseHasher(config.auth.secret);
  }

  async check(access: OrgAccess, dto: CallerCheckRequestDto): Promise<CallerCheckResultDto> {
    const now = this.clock.now();
    const phrase = dto.phrase && dto.phrase.trim() !== '' ? dto.phrase : null;
    return this.uow.run(async (tx) => {
      const verdict = await this.decide(tx, access.organizationId, dto, phrase, now);
      const row: CallerCheckEntity = {
        id: randomUUID(),
        organizationId: access.organizationId,
        checkedAt: now,
        checkedByUserId: access.userId,
        checkedBy: access.actor.label,
        claimedCompany: dto.company,
        claimedTechnician: dto.technicianName,
        callerNumber: dto.callerNumber ?? null,
        phraseGiven: phrase !== null,
        outcome: verdict.outcome,
        reason: verdict.reason,
        providerId: verdict.provider?.id ?? null,
        interventionId: verdict.intervention?.id ?? null,
        incidentId: null,
      };
      await this.repository.insertCheck(tx.em, row);
      const result = await this.result(tx.em, access.organizationId, row, verdict);
      // The audit row last: on PostgreSQL it locks the Comune's chain head until the commit, so
      // nothing else runs while checks of the same Comune wait for it.
      await this.audit.append(tx, {
        organizationId: access.organizationId,
        actor: access.actor,
        action: 'caller_check.performed',
        entity: 'caller_check',
        entityId: row.id,
        data: {
          outcome: row.outcome,
          reason: row.reason,
          claimedCompany: row.claimedCompany,
          claimedTechnician: row.claimedTechnician,
          phraseGiven: row.phraseGiven,
          providerId: row.providerId,
          interventionId: row.interventionId,
        },
      });
      return result;
    });
  }

  async list(organizationId: string, query: CallerCheckQueryDto): Promise<Page<CallerCheckLogDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor);
    const rows = await this.uow.read((em) =>
      this.repository.checksPage(
        em,
        organizationId,
        query.outcome,
        cursor ? { at: new Date(String(cursor.k)), id: cursor.id } : null,
        limit + 1,
      ),
    );
    return toPage(rows, limit, (r) => ({ k: r.checkedAt.toISOString(), id: r.id }), mapCheck);
  }

  /**
   * For the incidents module, in its transaction: the check a quick report was filed from, now
   * linked to the incident. A member may file from their own checks; the ALS from any.
   */
  async linkToIncidentInTx(tx: Tx, access: OrgAccess, checkId: string, incidentId: string): Promise<CallerCheckLogDto> {
    const row = await this.repository.findCheck(tx.em, access.organizationId, checkId);
    if (!row || (!SEES_ALL_CHECKS.includes(access.role) && row.checkedByUserId !== access.userId)) {
      throw new DomainError('CALLER_CHECK_NOT_FOUND', 'Caller check not found');
    }
    if (!(await this.repository.linkCheck(tx.em, access.organizationId, checkId, incidentId))) {
      throw new DomainError('CALLER_CHECK_ALREADY_REPORTED', 'This call was already reported', { incidentId: row.incidentId });
    }
    return mapCheck({ ...row, incidentId });
  }

  private async decide(tx: Tx, organizationId: string, dto: CallerCheckRequestDto, phrase: string | null, now: Date): Promise<Verdict> {
    const company = normalizeCompany(dto.company);
    const provider =
      (await this.repository.providersOf(tx.em, organizationId, true)).find(
        (p) => p.normalizedName === company || p.aliases.some((a) => normalizeCompany(a) === company),
      ) ?? null;
    if (!provider) return { outcome: 'not_expected', reason: 'unknown_company', provider: null, intervention: null };
    const inWindow = await this.repository.inWindowNaming(tx.em, organizationId, provider.id, now, normalizePersonName(dto.technicianName));
    if (inWindow.length === 0) return { outcome: 'not_expected', reason: 'no_intervention_now', provider, intervention: null };
    const candidates = inWindow.filter((i) => i.named).map((i) => i.intervention);
    if (candidates.length === 0) return { outcome: 'not_expected', reason: 'technician_not_named', provider, intervention: null };

    if (phrase === null) return { outcome: 'unverifiable', reason: 'phrase_missing', provider, intervention: candidates[0] ?? null };
    const usable = candidates.filter((i) => i.failedPhraseAttempts < MAX_WRONG_PHRASES);
    // Every usable candidate is hashed and compared, so the time taken does not tell which one matched.
    const verdicts = usable.map((i) => this.hasher.matches(i.id, phrase, i.phraseHash));
    const hit = usable.find((_, n) => verdicts[n]);
    if (hit) return { outcome: 'expected', reason: 'match', provider, intervention: hit };
    if (usable.length === 0) return { outcome: 'unverifiable', reason: 'phrase_blocked', provider, intervention: candidates[0] ?? null };
    await this.repository.countWrongPhrase(
      tx.em,
      usable.map((i) => i.id),
    );
    return { outcome: 'unverifiable', reason: 'phrase_wrong', provider, intervention: usable[0] ?? null };
  }

  private async result(em: EntityManager, organizationId: string, row: CallerCheckEntity, v: Verdict): Promise<CallerCheckResultDto> {
    const expected = v.outcome === 'expected' && v.intervention !== null;
    let intervention: CallerCheckResultDto['intervention'] = null;
    if (expected && v.intervention) {
      const i = v.intervention;
      const links = await this.repository.interventionWorkstations(em, [i.id]);
      const refs = await this.workstations.refsInTx(
        em,
        organizationId,
        links.map((l) => l.workstationId),
      );
      intervention = {
        id: i.id,
        windowLabel: italianWindow(i.startsAt, i.endsAt),
        startsAt: i.startsAt.toISOString(),
        endsAt: i.endsAt.toISOString(),
        channelLabel: INTERVENTION_CHANNEL_LABELS_IT[i.channel],
        remoteTool: i.remoteTool,
        purpose: i.purpose,
        workstations: [...refs.values()].map((w) => w.code).sort(),
      };
    }
    const provider = v.provider
      ? { id: v.provider.id, name: v.provider.name, callbackPhone: v.provider.callbackPhone, callbackEmail: v.provider.callbackEmail }
      : null;
    const text = callerCheckText(v.outcome, v.reason, {
      claimedCompany: row.claimedCompany,
      claimedTechnician: row.claimedTechnician,
      provider,
      intervention,
    });
    return {
      id: row.id,
      outcome: row.outcome,
      reason: row.reason,
      ...text,
      checkedAt: row.checkedAt.toISOString(),
      provider,
      intervention,
      quickReport: expected
        ? null
        : {
            message: 'Segnala subito la chiamata: i dati sono già compilati. Aggiungi cosa ti è stato chiesto e cosa è stato fatto.',
            path: `/api/v1/orgs/${organizationId}/incidents/quick-report`,
            prefill: {
              callerCheckId: row.id,
              calledAt: row.checkedAt.toISOString(),
              callerNumber: row.callerNumber,
              claimedCompany: row.claimedCompany,
              claimedName: row.claimedTechnician,
            },
          },
    };
  }
}

export function mapCheck(r: CallerCheckEntity): CallerCheckLogDto {
  return {
    id: r.id,
    checkedAt: r.checkedAt.toISOString(),
    checkedBy: r.checkedBy,
    claimedCompany: r.claimedCompany,
    claimedTechnician: r.claimedTechnician,
    callerNumber: r.callerNumber,
    phraseGiven: r.phraseGiven,
    outcome: r.outcome,
    reason: r.reason,
    providerId: r.providerId,
    interventionId: r.interventionId,
    incidentId: r.incidentId,
  };
}
