// First: entity column types are fixed from the environment when the entities are first loaded.
import '../support/use-postgres';
import { redisOutageScenario } from './redis-outage';

// Issue 9 item 2 on PostgreSQL. 2,000 reminders by default, to keep `npm run test:resilience`
// within its time (10,000 here add ~3 minutes); OUTAGE_POSTGRES_CARDS=5000 for the full size.
redisOutageScenario('postgres', Number(process.env.OUTAGE_POSTGRES_CARDS ?? 1000));
