export * from './access.decorators';
export * from './actor';
export * from './permissions';
