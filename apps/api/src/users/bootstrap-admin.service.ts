import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { classifyDatabaseError, Environment } from '@cbm/common';
import { Role, UnitOfWork } from '@cbm/database';
import { AuditService } from '../audit';
import { hashPassword, passwordProblems } from '../auth';
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
    private readonly audit: AuditService,
    private readonly unitOfWork: UnitOfWork,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.get('BOOTSTRAP_ADMIN_EMAIL', { infer: true });
    const password = this.config.get('BOOTSTRAP_ADMIN_PASSWORD', { infer: true });
    if (!email || !password) return;
    if (await this.users.existsWithRole(Role.PLATFORM_ADMIN)) return;
    const normalisedEmail = email.trim().toLowerCase();
    const problems = passwordProblems(password, 'BOOTSTRAP_ADMIN_PASSWORD', { email: normalisedEmail });
    if (problems.length > 0) {
      this.logger.error(`No administrator created: BOOTSTRAP_ADMIN_PASSWORD ${problems[0].message}`);
      return;
    }
    const passwordHash = await hashPassword(password);
    try {
      const admin = await this.unitOfWork.run(async () => {
        const created = await this.users.createPlatformAdmin({ email: normalisedEmail, displayName: 'Platform administrator', passwordHash });
        await this.audit.record({
          action: 'user.created',
          actor: null,
          stateCode: null,
          entityType: 'user',
          entityId: created.id,
          summary: { after: { email: created.email, role: Role.PLATFORM_ADMIN }, source: 'BOOTSTRAP_ADMIN_EMAIL' },
        });
        return created;
      });
      this.logger.log(`Created the first platform administrator ${admin.email}`);
    } catch (error) {
      if (classifyDatabaseError(error)?.kind !== 'unique') throw error;
      // Another process starting at the same moment created it, or the email belongs to another user.
      this.logger.warn(`No administrator created: a user with the email ${email} already exists`);
    }
  }
}
