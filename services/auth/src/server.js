// `npm start` (node src/server.js [--host H] [--port N] [--dev] [--no-migrate] [--verbose]):
// checks the settings, connects, runs Better Auth's migration, serves, and prints one line with
// the URL. Every failure is one line on stderr (exit 2: a setting, 1: the database).
import { ConfigError, loadConfig, redact } from "./config.js";

const NAME = "bookctl-auth";

export async function main(argv = process.argv.slice(2), env = process.env) {
  const migrateOnly = argv.includes("--migrate-only");
  let config;
  try {
    config = loadConfig(env, argv.filter((a) => a !== "--migrate-only"));
  } catch (err) {
    if (err instanceof ConfigError) return fail(2, err.message);
    throw err;
  }
  // Loaded once the settings are known good, so a bad one is reported at once.
  const { createAdaptorServer } = await import("@hono/node-server");
  const { createApp, reason } = await import("./app.js");
  const { createAuth, TABLES } = await import("./auth.js");
  const { createPool, ping } = await import("./db.js");
  const { migrate } = await import("./migrate.js");
  if (config.dev && !env.BETTER_AUTH_SECRET) {
    console.error(`${NAME}: development mode with the built-in secret; set BETTER_AUTH_SECRET for real use`);
  }
  const shownDB = `${config.driver} ${redact(config.databaseURL)}`;
  const pool = createPool(config);
  pool.on("error", (err) => console.error(`${NAME}: database connection lost (${reason(err)})`));

  // The base URL is the JWTs' issuer and audience; with --port 0 it is known once listening.
  let app = null;
  const server = createAdaptorServer({
    fetch: (req, nodeEnv) => (app ? app.fetch(req, nodeEnv) : new Response("starting", { status: 503 })),
  });
  if (!migrateOnly) {
    try {
      await new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(config.port, config.host, resolve);
      });
    } catch (err) {
      return fail(2, `cannot listen on ${config.host}:${config.port} (${reason(err)}): choose another --port`);
    }
  }
  const address = server.address();
  const port = address && typeof address === "object" ? address.port : config.port;
  const baseURL = config.baseURL ?? `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  const auth = createAuth({ ...config, baseURL }, pool);

  const stop = async (code) => {
    server.close();
    await pool.end().catch(() => {});
    process.exit(code);
  };

  try {
    await ping(pool);
  } catch (err) {
    console.error(`${NAME}: the database ${shownDB} is unreachable (${reason(err)}): check DATABASE_URL`);
    if (config.verbose) console.error(err);
    return stop(1);
  }
  if (config.migrate || migrateOnly) {
    try {
      const { created, added } = await migrate(auth);
      if (created.length || added.length || migrateOnly) {
        console.error(
          `${NAME}: migrated (${created.length ? `created ${created.join(", ")}` : "no new tables"}` +
            `${added.length ? `; columns added to ${added.join(", ")}` : ""})`,
        );
      }
    } catch (err) {
      console.error(`${NAME}: Better Auth's migration failed on ${shownDB} (${reason(err)})`);
      if (config.verbose) console.error(err);
      return stop(1);
    }
  }
  if (migrateOnly) return stop(0);

  // Sign once now: makes the first key if there is none (so the JWKS is never empty), and finds a
  // secret that cannot decrypt the stored keys here rather than at every reader's /token.
  try {
    await auth.api.signJWT({ body: { payload: { sub: "bookctl-auth-start-check" } } });
  } catch (err) {
    if (/decrypt/i.test(reason(err))) {
      console.error(
        `${NAME}: the signing keys in ${TABLES.jwks} were encrypted with another BETTER_AUTH_SECRET: ` +
          `start with that secret, or delete the rows of ${TABLES.jwks} to make a new key ` +
          "(JWTs signed with the old one then stop verifying)",
      );
    } else {
      console.error(`${NAME}: cannot sign JWTs (${reason(err)})`);
    }
    if (config.verbose) console.error(err);
    return stop(1);
  }

  app = createApp({ ...config, baseURL }, auth, pool);
  process.on("SIGINT", () => stop(0));
  process.on("SIGTERM", () => stop(0));
  console.log(
    `${NAME}: listening on ${baseURL} (JWKS ${baseURL}/api/auth/jwks, site ${config.siteOrigins.join(", ")}, ` +
      `database ${shownDB}, tables ${Object.values(TABLES).join(", ")})`,
  );
}

function fail(code, message) {
  console.error(`${NAME}: ${message}`);
  process.exitCode = code;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
