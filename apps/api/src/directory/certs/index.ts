export { CertsModule } from './certs.module';
export { CertsRepository } from './certs.repository';
export { toCertResponse } from './dto/cert.response';
