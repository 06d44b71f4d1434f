import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '@cbm/common';
import { classifyDatabaseError, Role } from '@cbm/database';
import { hashPassword } from '../auth/password-hasher';
import { UsersRepository } from './users.repository';

/**
 * Creates the first platform administrator from BOOTSTRAP_ADMIN_EMAIL/PASSWORD when none exists,
 * so a fresh installation can be administered without touching the database. Once an administrator
 * exists the variables are ignored: they never reset a password.
 */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapAdminService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.get('BOOTSTRAP_ADMIN_EMAIL', { infer: true });
    const password = this.config.get('BOOTSTRAP_ADMIN_PASSWORD', { infer: true });
    if (!email || !password) return;
    if (await this.users.existsWithRole(Role.PLATFORM_ADMIN)) return;
    try {
      const admin = await this.users.createPlatformAdmin({
        email: email.trim().toLowerCase(),
        displayName: 'Platform administrator',
        passwordHash: await hashPassword(password),
      });
      this.logger.log(`Created the first platform administrator ${admin.email}`);
    } catch (error) {
      if (classifyDatabaseError(error)?.kind !== 'unique') throw error;
      // Another process starting at the same moment created it, or the email belongs to another user.
      this.logger.warn(`No administrator created: a user with the email ${email} already exists`);
    }
  }
}
