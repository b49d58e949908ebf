// Better Auth's own migration, run programmatically: it compares its schema (with the plugins')
// to the database's tables in the current schema (search_path) and creates what is missing.
// `npm run migrate` runs it alone; the server runs it at start unless --no-migrate.
import { getMigrations } from "better-auth/db/migration";

/**
 * @param {{ options: import("better-auth").BetterAuthOptions }} auth
 * @returns {Promise<{ created: string[], added: string[] }>}
 */
export async function migrate(auth) {
  const { toBeCreated, toBeAdded, runMigrations } = await getMigrations(auth.options);
  if (toBeCreated.length || toBeAdded.length) await runMigrations();
  return { created: toBeCreated.map((t) => t.table), added: toBeAdded.map((t) => t.table) };
}
