import { Foundation1763800000000 } from './1763800000000-foundation';
import { Inventory1763900000000 } from './1763900000000-inventory';

/** Every migration, in order. Listed (not globbed) so ts-jest and the compiled app load the same. */
export const MIGRATIONS = [Foundation1763800000000, Inventory1763900000000];
