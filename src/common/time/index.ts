export * from './clock';
export * from './rome-time';
export * from './working-day-calendar';
