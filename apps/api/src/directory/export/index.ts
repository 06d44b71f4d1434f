export { DirectoryExportModule } from './directory-export.module';
export { CSV_COLUMNS, FORMULA_CELL } from './directory-export.service';
