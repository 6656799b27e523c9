import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { assertVersion } from '../common/http/if-match';
import { DEFAULT_PAGE_SIZE, Page, decodeCursor, toPage } from '../common/http/pagination';
import { Clock } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/configuration';
import { Tx, UnitOfWork } from '../database/unit-of-work.service';
import { WorkstationsService } from '../workstations/workstations.service';
import {
  CancelInterventionDto,
  CreateInterventionDto,
  InterventionDto,
  InterventionQueryDto,
  IssuedInterventionDto,
} from './dto/intervention.dto';
import { InterventionEntity } from './intervention.entity';
import { INTERVENTION_CLOCK } from './intervention-clock';
import { InterventionViews } from './intervention-views';
import { InterventionsRepository } from './interventions.repository';
import { ProvidersService } from './providers.service';
import { PhraseHasher, generatePhrase } from './verification-phrase';

/** The longest window an intervention may have: a phrase should not stay valid for months. */
const MAX_WINDOW_DAYS = 31;
/** Clock skew tolerated on "agreed at" (a client slightly ahead of the server). */
const SKEW_MS = 5 * 60_000;

export const PHRASE_NOTE_IT =
  'Comunica questa frase al fornitore solo attraverso il canale verificato (il numero o l’indirizzo registrati). ' +
  'Custode non la mostrerà più: ne conserva solo un’impronta. Il tecnico dovrà dirla a chi riceve la chiamata.';

/** Interventions agreed in advance with a provider (ALS), each with its one-time verification phrase. */
@Injectable()
export class InterventionsService {
  private readonly hasher: PhraseHasher;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: InterventionsRepository,
    private readonly providers: ProvidersService,
    private readonly workstations: WorkstationsService,
    private readonly views: InterventionViews,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(INTERVENTION_CLOCK) private readonly clock: Clock,
  ) {
    this.hasher = new PhraseHasher(config.auth.secret);
  }

  async create(actor: Actor, organizationId: string, dto: CreateInterventionDto): Promise<IssuedInterventionDto> {
    const now = this.clock.now();
    const startsAt = new Date(dto.startsAt);
    const endsAt = new Date(dto.endsAt);
    const agreedAt = dto.agreedAt ? new Date(dto.agreedAt) : now;
    assertWindow(startsAt, endsAt, now);
    if (agreedAt.getTime() > now.getTime() + SKEW_MS) invalid('agreedAt', 'agreedAt cannot be in the future');
    if (dto.channel === 'remote' && !dto.remoteTool)
      invalid('remoteTool', 'remoteTool is required for a remote intervention: name the one tool allowed');
    if (dto.channel === 'on_site' && dto.remoteTool) invalid('remoteTool', 'remoteTool applies only to a remote intervention');
    const technicianIds = [...new Set(dto.technicianIds)];
    const workstationIds = [...new Set(dto.workstationIds ?? [])];
    return this.uow.run(async (tx) => {
      const provider = await this.providers.requireInTx(tx, organizationId, dto.providerId);
      if (!provider.active)
        throw new DomainError('PROVIDER_INACTIVE', `${provider.name} is no longer an active provider`, { providerId: provider.id });
      const technicians = await this.repository.findTechniciansByIds(tx.em, organizationId, technicianIds);
      const missing = technicianIds.filter((id) => !technicians.some((t) => t.id === id && t.providerId === provider.id && t.active));
      if (missing.length > 0) {
        throw new DomainError('TECHNICIAN_NOT_FOUND', 'Every technician must be an active technician named by this provider', {
          technicianIds: missing,
        });
      }
      for (const id of workstationIds) await this.workstations.requireInTx(tx.em, organizationId, id);
      const phrase = generatePhrase();
      const id = randomUUID();
      const row: InterventionEntity = {
        id,
        organizationId,
        providerId: provider.id,
        startsAt,
        endsAt,
        channel: dto.channel,
        remoteTool: dto.remoteTool ?? null,
        purpose: dto.purpose,
        agreedWith: dto.agreedWith,
        agreedBy: actor.label,
        agreedAt,
        phraseHash: this.hasher.hash(id, phrase),
        phraseIssuedAt: now,
        failedPhraseAttempts: 0,
        status: 'scheduled',
        cancelledAt: null,
        cancelledBy: null,
        cancelReason: null,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      await this.repository.insertIntervention(tx.em, row, technicianIds, workstationIds);
      await this.audit.append(tx, {
        organizationId,
        actor,
        action: 'intervention.agreed',
        entity: 'intervention',
        entityId: id,
        data: {
          providerId: provider.id,
          technicianIds,
          workstationIds,
          startsAt: dto.startsAt,
          endsAt: dto.endsAt,
          channel: row.channel,
          remoteTool: row.remoteTool,
          agreedWith: row.agreedWith,
          agreedAt: agreedAt.toISOString(),
        },
      });
      return {
        ...(await this.views.one(tx.em, organizationId, row, this.clock.now())),
        verificationPhrase: phrase,
        verificationPhraseNote: PHRASE_NOTE_IT,
      };
    });
  }

  /** A new phrase (the old one leaked, or was blocked after wrong attempts); shown once. */
  async reissuePhrase(actor: Actor, organizationId: string, id: string): Promise<IssuedInterventionDto> {
    return this.uow.run(async (tx) => {
      const row = await this.requireScheduled(tx, organizationId, id);
      const phrase = generatePhrase();
      const version = row.version;
      Object.assign(row, {
        phraseHash: this.hasher.hash(id, phrase),
        phraseIssuedAt: new Date(),
        failedPhraseAttempts: 0,
        updatedAt: new Date(),
      });
      if (!(await this.repository.updateIntervention(tx.em, row, version))) assertVersion('intervention', version + 1, version);
      row.version = version + 1;
      await this.audit.append(tx, {
        organizationId,
        actor,
        action: 'intervention.phrase_reissued',
        entity: 'intervention',
        entityId: id,
        data: {},
      });
      return {
        ...(await this.views.one(tx.em, organizationId, row, this.clock.now())),
        verificationPhrase: phrase,
        verificationPhraseNote: PHRASE_NOTE_IT,
      };
    });
  }

  async cancel(actor: Actor, organizationId: string, id: string, dto: CancelInterventionDto): Promise<InterventionDto> {
    return this.uow.run(async (tx) => {
      const row = await this.requireScheduled(tx, organizationId, id);
      const version = row.version;
      const now = new Date();
      Object.assign(row, { status: 'cancelled', cancelledAt: now, cancelledBy: actor.label, cancelReason: dto.reason, updatedAt: now });
      if (!(await this.repository.updateIntervention(tx.em, row, version))) assertVersion('intervention', version + 1, version);
      row.version = version + 1;
      await this.audit.append(tx, {
        organizationId,
        actor,
        action: 'intervention.cancelled',
        entity: 'intervention',
        entityId: id,
        data: { reason: dto.reason },
      });
      return this.views.one(tx.em, organizationId, row, this.clock.now());
    });
  }

  async get(organizationId: string, id: string): Promise<InterventionDto> {
    return this.uow.read(async (em) => {
      const row = await this.repository.findIntervention(em, organizationId, id);
      if (!row) throw new DomainError('INTERVENTION_NOT_FOUND', 'Intervention not found');
      return this.views.one(em, organizationId, row, this.clock.now());
    });
  }

  async list(organizationId: string, query: InterventionQueryDto): Promise<Page<InterventionDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor);
    return this.uow.read(async (em) => {
      const rows = await this.repository.interventionsPage(
        em,
        organizationId,
        { providerId: query.providerId, status: query.status, endsAfter: query.endsAfter ? new Date(query.endsAfter) : undefined },
        cursor ? { at: new Date(String(cursor.k)), id: cursor.id } : null,
        limit + 1,
      );
      const page = toPage(
        rows,
        limit,
        (r) => ({ k: r.startsAt.toISOString(), id: r.id }),
        (r) => r,
      );
      return { items: await this.views.many(em, organizationId, page.items, this.clock.now()), nextCursor: page.nextCursor };
    });
  }

  private async requireScheduled(tx: Tx, organizationId: string, id: string): Promise<InterventionEntity> {
    const row = await this.repository.findIntervention(tx.em, organizationId, id);
    if (!row) throw new DomainError('INTERVENTION_NOT_FOUND', 'Intervention not found');
    if (row.status === 'cancelled')
      throw new DomainError('INTERVENTION_CANCELLED', 'The intervention was cancelled', { cancelledAt: row.cancelledAt?.toISOString() });
    return row;
  }
}

function assertWindow(startsAt: Date, endsAt: Date, now: Date): void {
  if (endsAt <= startsAt) throw new DomainError('INTERVENTION_WINDOW_INVALID', 'endsAt must be after startsAt');
  if (endsAt <= now) throw new DomainError('INTERVENTION_WINDOW_INVALID', 'The window has already ended: agree interventions in advance');
  if (endsAt.getTime() - startsAt.getTime() > MAX_WINDOW_DAYS * 86_400_000) {
    throw new DomainError('INTERVENTION_WINDOW_INVALID', `A window may last at most ${MAX_WINDOW_DAYS} days`, { maxDays: MAX_WINDOW_DAYS });
  }
}

function invalid(field: string, message: string): never {
  throw new DomainError('VALIDATION_FAILED', message, { errors: [{ field, messages: [message] }] });
}
