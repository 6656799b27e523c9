import { createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/configuration';

export type TokenKind = 'session' | 'api' | 'feed';
const PREFIX: Record<TokenKind, string> = { session: 'cus_', api: 'cat_', feed: 'cfd_' };

/**
 * Bearer tokens are 256 random bits; the database keeps only HMAC-SHA256(secret, token), so a
 * stolen database copy holds no usable token.
 */
@Injectable()
export class TokenHasher {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  generate(kind: TokenKind): { token: string; hash: string } {
    const token = PREFIX[kind] + randomBytes(32).toString('base64url');
    return { token, hash: this.hash(token) };
  }

  hash(token: string): string {
    return createHmac('sha256', this.config.auth.secret).update(token).digest('hex');
  }

  kindOf(token: string): TokenKind | null {
    const entry = Object.entries(PREFIX).find(([, p]) => token.startsWith(p));
    return entry ? (entry[0] as TokenKind) : null;
  }
}
