import { Inject, Injectable } from '@nestjs/common';
import { Clock, romeDate } from '../common/time';
import { UnitOfWork } from '../database/unit-of-work.service';
import { holderName } from '../holders/holder.entity';
import { CoverageDto } from './dto/coverage.dto';
import { CONSOLE_ADMIN_ROLES } from './nomination-lifecycle';
import { DEFAULT_COVERAGE_WINDOW_DAYS, computeCoverage } from './coverage-checks';
import { NOMINATION_CLOCK } from './nomination-clock';
import { NominationsRepository } from './nominations.repository';
import { NominationsService } from './nominations.service';
import { actLabel } from './nomination-labels';

/** The coverage checks of one Comune, computed from one consistent read. */
@Injectable()
export class CoverageService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: NominationsRepository,
    private readonly nominations: NominationsService,
    @Inject(NOMINATION_CLOCK) private readonly clock: Clock,
  ) {}

  async check(organizationId: string, windowDays = DEFAULT_COVERAGE_WINDOW_DAYS): Promise<CoverageDto> {
    await this.nominations.expireDue(organizationId);
    const today = romeDate(this.clock.now());
    const checks = await this.uow.read(async (em) => {
      const active = await this.repository.findActive(em, organizationId);
      const holders = new Map(
        (
          await this.repository.findHolders(
            em,
            organizationId,
            active.map((n) => n.holderId),
          )
        ).map((h) => [h.id, h]),
      );
      const withCard = await this.repository.holdersWithActiveSmartCard(
        em,
        organizationId,
        active.filter((n) => CONSOLE_ADMIN_ROLES.includes(n.role)).map((n) => n.holderId),
      );
      const certificates = await this.repository.liveCertificates(em, organizationId);
      return computeCoverage({
        today,
        windowDays,
        certificates,
        active: active.map((n) => {
          const h = holders.get(n.holderId);
          return {
            id: n.id,
            role: n.role,
            holderId: n.holderId,
            holderName: h ? holderName(h) : '(persona non trovata)',
            holderLeft: h?.employmentStatus === 'leaver',
            hasActiveSmartCard: withCard.has(n.holderId),
            act: actLabel(n),
            effectiveUntil: n.effectiveUntil,
            scope: n.scope,
          };
        }),
      });
    });
    return { checks, asOf: today, windowDays };
  }
}
