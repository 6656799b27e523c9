export * from './device-lifecycle';
export * from './lifecycle-labels';
