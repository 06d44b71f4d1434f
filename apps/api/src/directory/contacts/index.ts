export { ContactsModule } from './contacts.module';
export { ContactsRepository } from './contacts.repository';
export { toContactResponse } from './dto/contact.response';
export { ContactsService } from './contacts.service';
export { CreateContactDto, UpdateContactDto } from './dto/contact.dto';
