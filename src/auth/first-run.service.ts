import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../audit/actor';
import { APP_CONFIG, AppConfig } from '../config/configuration';
import { UsersService } from './users.service';

export const DEFAULT_ADMIN_EMAIL = 'admin@custode.local';

export type FirstRunOutcome = { created: false } | { created: true; email: string; generatedPassword: string | null };

/**
 * On an empty database, creates the platform administrator: with CUSTODE_ADMIN_EMAIL/PASSWORD
 * when both are set (no forced change: the operator chose it), otherwise with a random one-time
 * password that must be changed at first sign-in.
 */
@Injectable()
export class FirstRunService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
  ) {}

  async ensureSuperadmin(): Promise<FirstRunOutcome> {
    const { email, password } = this.config.admin;
    const generated = password === null ? randomBytes(12).toString('base64url') : null;
    const created = await this.users.createFirstSuperadmin(SYSTEM_ACTOR, {
      email: email ?? DEFAULT_ADMIN_EMAIL,
      displayName: 'Amministratore della piattaforma',
      password: password ?? (generated as string),
      mustChangePassword: generated !== null,
    });
    return created ? { created: true, email: email ?? DEFAULT_ADMIN_EMAIL, generatedPassword: generated } : { created: false };
  }
}
