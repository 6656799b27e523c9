import { Column, Entity } from 'typeorm';
import { CreatedAtColumn, TimestampColumn, UpdatedAtColumn, UuidColumn } from '../../database/column-types';

@Entity('users')
export class UserEntity {
  @UuidColumn({ primary: true })
  id: string;

  /** Stored lowercase; unique across the platform. */
  @Column({ type: 'varchar', length: 254, unique: true })
  email: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName: string;

  /** argon2id encoded hash; never leaves the auth service. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ name: 'is_superadmin', type: 'boolean', default: false })
  isSuperadmin: boolean;

  /** True for a password someone else chose (first run, created by an admin): change it at login. */
  @Column({ name: 'must_change_password', type: 'boolean', default: false })
  mustChangePassword: boolean;

  @Column({ name: 'failed_login_count', type: 'integer', default: 0 })
  failedLoginCount: number;

  @TimestampColumn({ name: 'locked_until', nullable: true })
  lockedUntil: Date | null;

  @TimestampColumn({ name: 'disabled_at', nullable: true })
  disabledAt: Date | null;

  @TimestampColumn({ name: 'password_changed_at' })
  passwordChangedAt: Date;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
