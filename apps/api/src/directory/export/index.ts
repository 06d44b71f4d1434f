export { DirectoryExportModule } from './directory-export.module';
