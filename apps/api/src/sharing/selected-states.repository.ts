import { Injectable } from '@nestjs/common';
import { Database } from '@cbm/database';

/** Which of the States a record is shared with exist: the one lookup the audience rule needs. */
@Injectable()
export class SelectedStatesRepository {
  constructor(private readonly database: Database) {}

  async existing(codes: readonly string[]): Promise<string[]> {
    if (codes.length === 0) return [];
    return (await this.database.prisma.state.findMany({ where: { code: { in: [...codes] } }, select: { code: true } })).map((state) => state.code);
  }
}
