import { redisOutageScenario } from './redis-outage';

// Issue 9 item 2 on SQLite (the resilience project's setup file chose it): 10,000 reminders.
redisOutageScenario('sqlite', Number(process.env.OUTAGE_CARDS ?? 5000));
