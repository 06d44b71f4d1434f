export { CertsModule } from './certs.module';
export { CertsRepository } from './certs.repository';
export { toCertResponse } from './dto/cert.response';
export { CertsService } from './certs.service';
export { CreateCertDto, UpdateCertDto } from './dto/cert.dto';
