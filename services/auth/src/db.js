// The database pool: node-postgres for an ordinary Postgres URL, Neon's serverless driver (its
// pg-compatible Pool over WebSockets) for a Neon host or DATABASE_DRIVER=neon. Better Auth sees a
// pg-style Pool either way and talks to it through Kysely's Postgres dialect.
import { Pool as NeonPool, neonConfig } from "@neondatabase/serverless";
import pg from "pg";
import ws from "ws";

/**
 * @param {import("./config.js").Config} config
 * @returns {import("pg").Pool}
 */
export function createPool(config) {
  if (config.driver === "neon") {
    // Node 20 has no global WebSocket; the driver needs a constructor.
    neonConfig.webSocketConstructor = ws;
    if (config.neon.wsProxy) neonConfig.wsProxy = config.neon.wsProxy;
    neonConfig.useSecureWebSocket = config.neon.secureWebSocket;
    neonConfig.pipelineConnect = config.neon.pipelineConnect ? "password" : false;
    return /** @type {import("pg").Pool} */ (/** @type {unknown} */ (
      new NeonPool({ connectionString: config.databaseURL })
    ));
  }
  return new pg.Pool({ connectionString: config.databaseURL, connectionTimeoutMillis: 10_000 });
}

/** One round trip; throws with the driver's reason when the database cannot be reached. */
export async function ping(pool) {
  await pool.query("SELECT 1");
}
