export { ContactsModule } from './contacts.module';
export { ContactsRepository } from './contacts.repository';
export { HoursDto } from './dto/contact.dto';
export { EntryHistoryResponse, PgpKeyResponse, toContactResponse } from './dto/contact.response';
