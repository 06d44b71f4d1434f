export * from './config/environment';
export * from './errors/error-codes';
export * from './errors/domain.error';
export * from './errors/problem-details';
export * from './errors/problem-details.filter';
export * from './errors/validation-exception.factory';
export * from './errors/body-parser-errors';
export * from './http/request-context';
