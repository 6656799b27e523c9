import { Foundation1763800000000 } from './1763800000000-foundation';

/** Every migration, in order. Listed (not globbed) so ts-jest and the compiled app load the same. */
export const MIGRATIONS = [Foundation1763800000000];
