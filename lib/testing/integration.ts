/**
 * The frame of an integration test file, awaited at its top level:
 *
 *     const { db, auth } = await integrationSetup();
 *
 * gives the file a database of its own (DATABASE_URL points at it, so route handlers and code that takes no
 * client use it too, with prepared statements off on the embedded database as `npm start` sets them) and the
 * bootstrap credentials, and drops the database after the file's tests.
 */
import { afterAll } from "vitest";
import { createTestAuth, type TestAuth } from "./auth";
import { createTestDatabase, type TestDatabase } from "./db";

export async function integrationSetup(): Promise<{ db: TestDatabase; auth: TestAuth }> {
  const db = await createTestDatabase();
  afterAll(() => db.drop());
  process.env.DATABASE_URL = db.url;
  process.env.DATABASE_PREPARED_STATEMENTS = String(!db.embedded);
  return { db, auth: createTestAuth() };
}
