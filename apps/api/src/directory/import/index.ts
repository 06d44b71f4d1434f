export { DirectoryImportModule } from './directory-import.module';
export { DIRECTORY_IMPORT_ROUTE, directoryImportBodyParsers } from './body-parsers';
