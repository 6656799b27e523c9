// Jest project "sqlite": every integration and e2e file runs on its own SQLite file.
process.env.TEST_DB = 'sqlite';
delete process.env.DATABASE_URL;
