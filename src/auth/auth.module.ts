import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '../config/configuration';
import { AuditModule } from '../audit/audit.module';
import { AccessGuard } from './access.guard';
import { ApiTokensService } from './api-tokens.service';
import { AuthController } from './auth.controller';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { FirstRunService } from './first-run.service';
import { TokenHasher } from './token-hasher';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [
    AuditModule,
    // Per-address limit on sign-in; the per-account lockout (in the database) is the other half.
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ throttlers: [{ name: 'login', ttl: 60_000, limit: config.auth.loginRatePerMinute }] }),
    }),
  ],
  controllers: [AuthController, UsersController],
  providers: [AuthService, AuthRepository, FirstRunService, UsersService, UsersRepository, ApiTokensService, TokenHasher],
  exports: [AuthService, UsersService, TokenHasher, FirstRunService],
})
export class AuthModule {}

/** Registered once in AppModule, so tests that import AppModule are guarded like production. */
export const accessGuardProvider = { provide: APP_GUARD, useClass: AccessGuard };
