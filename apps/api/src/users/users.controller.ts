import { Body, Controller, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Authorize, CurrentActor, Permission } from '@cbm/auth';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { IdParam } from '@cbm/common';
import { CreateUserDto, ListUsersQuery, UpdateUserDto } from './dto/user.dto';
import { CreatedUserResponse, UserListResponse, UserResponse } from './dto/user.response';
import { UsersService } from './users.service';

@ApiTags('Users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** Creates a user; without a password the answer carries a single-use invitation token, shown once. */
  @Post()
  @Authorize(Permission.UserWrite)
  @ApiProblemResponses(400, 409)
  create(@CurrentActor() actor: Actor, @Body() body: CreateUserDto): Promise<CreatedUserResponse> {
    return this.users.create(actor, body);
  }

  /** Users the caller manages: their State's, or everyone's for the secretariat. */
  @Get()
  @Authorize(Permission.UserRead)
  @ApiProblemResponses(400)
  list(@CurrentActor() actor: Actor, @Query() query: ListUsersQuery): Promise<UserListResponse> {
    return this.users.list(actor, query);
  }

  /** One user the caller manages; another State's user is not found. */
  @Get(':id')
  @Authorize(Permission.UserRead)
  @ApiProblemResponses(400, 404)
  get(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<UserResponse> {
    return this.users.get(actor, params.id);
  }

  /** Changes the display name or State role. The State and email cannot be changed. */
  @Patch(':id')
  @Authorize(Permission.UserWrite)
  @ApiProblemResponses(400, 404)
  update(@CurrentActor() actor: Actor, @Param() params: IdParam, @Body() body: UpdateUserDto): Promise<UserResponse> {
    return this.users.update(actor, params.id, body);
  }

  /** Disables the account at once: its sessions end and its tokens stop working. */
  @Post(':id/disable')
  @Authorize(Permission.UserWrite)
  @HttpCode(HttpStatus.OK)
  @ApiProblemResponses(404, 409)
  disable(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<UserResponse> {
    return this.users.disable(actor, params.id);
  }
}
