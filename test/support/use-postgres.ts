// Jest project "postgres": every integration and e2e file runs in its own PostgreSQL schema.
process.env.TEST_DB = 'postgres';
process.env.DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
