import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Authorize, Permission, Public } from '@cbm/auth';
import { DomainError } from '@cbm/common';
import { AccessGuard } from './access.guard';

describe('AccessGuard', () => {
  it('denies a route that declares no access rule, before looking at any credential', async () => {
    class UndeclaredController {
      handler(): void {}
    }
    const guard = new AccessGuard(new Reflector(), {} as never);
    const context = {
      getHandler: () => UndeclaredController.prototype.handler,
      getClass: () => UndeclaredController,
      switchToHttp: () => ({ getRequest: () => ({ headers: { authorization: 'Bearer anything' } }) }),
    } as unknown as ExecutionContext;

    const outcome = guard.canActivate(context);
    await expect(outcome).rejects.toBeInstanceOf(DomainError);
    await expect(outcome).rejects.toMatchObject({ status: 403, code: 'ACCESS_NOT_DECLARED' });
  });

  it('refuses a second access declaration on the same route at start-up', () => {
    expect(() => {
      class TwiceDeclared {
        @Public()
        @Authorize(Permission.UserRead)
        handler(): void {}
      }
      return TwiceDeclared;
    }).toThrow('TwiceDeclared.handler declares its access rule twice');
  });
});
