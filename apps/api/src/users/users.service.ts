import { HttpStatus, Injectable } from '@nestjs/common';
import { Actor } from '@cbm/auth';
import { DomainError, ErrorCode, pageLimit, toPage } from '@cbm/common';
import { Role, UnitOfWork, User } from '@cbm/database';
import { AuditService } from '../audit';
import { assertAcceptablePassword, hashPassword, InvitationService } from '../auth';
import { CreateUserDto, ListUsersQuery, UpdateUserDto } from './dto/user.dto';
import { CreatedUserResponse, toUserResponse, UserListResponse, UserResponse } from './dto/user.response';
import { UsersRepository } from './users.repository';

function forbidden(detail: string, field?: string): DomainError {
  return new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, detail, field ? [{ field, message: detail }] : undefined);
}

/**
 * Account management. A State administrator manages their own State's users only and can never
 * grant PLATFORM_ADMIN. The secretariat creates platform administrators and each State's first
 * administrators, by invitation only, and can disable any account; it cannot create officers or
 * viewers, set a State user's password, or change a State user's role: otherwise it could give
 * itself a State's access to request contents, which it must never read. Another State's user is not
 * found (404), exactly like a user that does not exist.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly invitations: InvitationService,
    private readonly audit: AuditService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async create(actor: Actor, input: CreateUserDto): Promise<CreatedUserResponse> {
    const stateCode = await this.targetState(actor, input);
    const email = input.email.trim().toLowerCase();
    if (input.password !== undefined) assertAcceptablePassword(input.password, 'password', { email });
    const passwordHash = input.password !== undefined ? await hashPassword(input.password) : null;

    return this.unitOfWork.run(async () => {
      const user = await this.users.create({
        email,
        displayName: input.displayName.trim(),
        role: input.role,
        stateCode,
        passwordHash,
        preferredLanguage: input.preferredLanguage ?? null,
      });
      const invitation = passwordHash ? null : await this.invitations.createInvitation(user);
      await this.audit.record({
        action: 'user.created',
        actor,
        stateCode,
        entityType: 'user',
        entityId: user.id,
        summary: {
          after: { email, displayName: user.displayName, role: user.role, stateCode, ...(user.preferredLanguage ? { preferredLanguage: user.preferredLanguage } : {}) },
          invited: invitation !== null,
        },
      });
      return { user: toUserResponse(user), invitation };
    });
  }

  async list(actor: Actor, query: ListUsersQuery): Promise<UserListResponse> {
    const users = await this.users.findPage(actor.stateCode, { stateCode: query.stateCode, afterId: query.cursor }, pageLimit(query.limit));
    return toPage(users, query.limit, toUserResponse, (last) => last.id);
  }

  async get(actor: Actor, id: string): Promise<UserResponse> {
    return toUserResponse(await this.findVisible(actor, id));
  }

  async update(actor: Actor, id: string, changes: UpdateUserDto): Promise<UserResponse> {
    if (changes.role === Role.PLATFORM_ADMIN) {
      throw forbidden('PLATFORM_ADMIN cannot be granted by an update; the secretariat creates its administrators.', 'role');
    }
    return this.unitOfWork.run(async () => {
      const before = await this.findVisible(actor, id);
      if (changes.role && before.role === Role.PLATFORM_ADMIN) {
        throw forbidden('A platform administrator cannot be given a State role.', 'role');
      }
      if (changes.role && actor.stateCode === null && before.stateCode !== null) {
        throw forbidden("A State's roles are set by its own administrators.", 'role');
      }
      const after = await this.users.updateProfile(id, { displayName: changes.displayName?.trim(), role: changes.role });
      await this.audit.record({
        action: 'user.updated',
        actor,
        stateCode: before.stateCode,
        entityType: 'user',
        entityId: id,
        summary: {
          before: { displayName: before.displayName, role: before.role },
          after: { displayName: after.displayName, role: after.role },
        },
      });
      return toUserResponse(after);
    });
  }

  async disable(actor: Actor, id: string): Promise<UserResponse> {
    if (actor.userId === id) {
      throw new DomainError(HttpStatus.CONFLICT, ErrorCode.Conflict, 'You cannot disable your own account.');
    }
    return this.unitOfWork.run(async () => {
      const user = await this.findVisible(actor, id);
      if (user.disabledAt) return toUserResponse(user);
      const disabled = await this.users.disable(id);
      await this.users.revokeSessionsOfDisabledUser(id);
      await this.audit.record({ action: 'user.disabled', actor, stateCode: user.stateCode, entityType: 'user', entityId: id });
      return toUserResponse(disabled);
    });
  }

  /** The State a new user belongs to, from the credential for a State administrator. */
  private async targetState(actor: Actor, input: CreateUserDto): Promise<string | null> {
    if (actor.stateCode !== null) {
      if (input.role === Role.PLATFORM_ADMIN) throw forbidden('Only the secretariat can create platform administrators.', 'role');
      if (input.stateCode !== undefined && input.stateCode !== actor.stateCode) {
        throw forbidden('You can only create users of your own State.', 'stateCode');
      }
      return actor.stateCode;
    }
    if (input.role !== Role.PLATFORM_ADMIN && input.role !== Role.STATE_ADMIN) {
      throw forbidden("The secretariat creates a State's administrators; they create its other users.", 'role');
    }
    if (input.role === Role.STATE_ADMIN && input.password !== undefined) {
      throw forbidden('A State administrator made by the secretariat sets their own password (invitation).', 'password');
    }
    if (input.role === Role.PLATFORM_ADMIN) {
      if (input.stateCode !== undefined) {
        throw DomainError.validation([{ field: 'stateCode', message: 'must be omitted: platform administrators belong to no State' }]);
      }
      return null;
    }
    if (input.stateCode === undefined) throw DomainError.validation([{ field: 'stateCode', message: 'is required for State roles' }]);
    if (!(await this.users.stateExists(input.stateCode))) {
      throw DomainError.validation([{ field: 'stateCode', message: 'is not a known State' }]);
    }
    return input.stateCode;
  }

  private async findVisible(actor: Actor, id: string): Promise<User> {
    const user = await this.users.findOne(actor.stateCode, id);
    if (!user) throw DomainError.notFound('User');
    return user;
  }
}
