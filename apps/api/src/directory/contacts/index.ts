export { ContactsModule } from './contacts.module';
export { ContactsRepository } from './contacts.repository';
export { toContactResponse } from './dto/contact.response';
