import { Module } from '@nestjs/common';
import { BootstrapAdminService } from './bootstrap-admin.service';
import { UsersRepository } from './users.repository';

@Module({
  providers: [UsersRepository, BootstrapAdminService],
  exports: [UsersRepository],
})
export class UsersModule {}
