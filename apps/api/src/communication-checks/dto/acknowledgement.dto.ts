import { IsString, Length } from 'class-validator';

export class AcknowledgementTokenParam {
  /** From the link in the mail. */
  @IsString()
  @Length(1, 200)
  token: string;
}
