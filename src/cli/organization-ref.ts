import { Injectable } from '@nestjs/common';
import { MAX_PAGE_SIZE } from '../common/http/pagination';
import { DomainError } from '../common/errors/domain-error';
import { OrganizationDto } from '../organizations/dto/organization.dto';
import { OrganizationsService } from '../organizations/organizations.service';
import { UsageError } from './cli-errors';

const ISTAT = /^\d{6}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Turns `--org <ISTAT code or id>` into an organization, through OrganizationsService only. */
@Injectable()
export class OrganizationRefResolver {
  constructor(private readonly organizations: OrganizationsService) {}

  async resolve(ref: string): Promise<OrganizationDto> {
    const value = ref.trim();
    if (UUID.test(value)) return this.organizations.get(value.toLowerCase());
    if (!ISTAT.test(value)) throw new UsageError(`--org: "${ref}" is neither a 6-digit ISTAT code nor an organization id`);
    // OrganizationsService has no look-up by ISTAT code; Italy has under 8,000 Comuni, so a scan is cheap.
    for await (const org of this.all()) {
      if (org.istatCode === value) return org;
    }
    throw new DomainError('ORGANIZATION_NOT_FOUND', `No organization has ISTAT code ${value}`);
  }

  /** Every organization, by name. */
  async *all(): AsyncGenerator<OrganizationDto> {
    let cursor: string | undefined;
    do {
      const page = await this.organizations.list({ userId: null, all: true }, { limit: MAX_PAGE_SIZE, cursor });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }
}
