// The service's settings, read once from the environment (and the command line) and checked.
// Every problem is one line naming the setting and the fix; nothing else reads process.env.

export class ConfigError extends Error {}

const DEV_SECRET = "bookctl-auth-development-secret-not-for-real-use";
const NEON_HOST = /\.neon\.tech$/i;

/**
 * @typedef {object} Config
 * @property {boolean} dev               development mode: a built-in secret is allowed
 * @property {string} secret             BETTER_AUTH_SECRET (encrypts the JWKS private keys, signs cookies)
 * @property {string} host
 * @property {number} port               0 = any free port (printed when listening)
 * @property {string | null} baseURL     BETTER_AUTH_URL: issuer and audience of the JWTs; null = http://host:port
 * @property {string[]} siteOrigins      the book's site: trusted origins and CORS
 * @property {string} databaseURL
 * @property {"pg" | "neon"} driver
 * @property {{ wsProxy: string | null, secureWebSocket: boolean, pipelineConnect: boolean }} neon
 * @property {string} jwtLifetime        e.g. "5m"
 * @property {boolean} rateLimit
 * @property {string[]} trustedProxies   CIDRs whose X-Forwarded-For is believed
 * @property {boolean} migrate           run Better Auth's migration at start
 * @property {boolean} verbose           stack traces on errors
 * @property {Record<string, {clientId: string, clientSecret: string}>} socialProviders
 */

/**
 * @param {Record<string, string | undefined>} env
 * @param {string[]} argv  command-line arguments after the script
 * @returns {Config}
 */
export function loadConfig(env, argv = []) {
  const args = parseArgs(argv);
  const dev = args.dev || truthy(env.BOOKCTL_AUTH_DEV, "BOOKCTL_AUTH_DEV");

  let secret = env.BETTER_AUTH_SECRET ?? "";
  if (!secret) {
    if (!dev) {
      throw new ConfigError(
        "BETTER_AUTH_SECRET is not set: set it to a fixed random value of 32+ characters " +
          "(openssl rand -base64 32); it encrypts the signing keys, so keep it across restarts " +
          "(or run with --dev / BOOKCTL_AUTH_DEV=1 for a local trial)",
      );
    }
    secret = DEV_SECRET;
  } else if (secret.length < 32 && !dev) {
    throw new ConfigError(
      `BETTER_AUTH_SECRET is ${secret.length} characters: use 32 or more (openssl rand -base64 32)`,
    );
  }

  const host = args.host ?? env.HOST ?? "127.0.0.1";
  const port = parsePort(args.port ?? env.PORT ?? "3001", args.port ? "--port" : "PORT");
  const baseURL = env.BETTER_AUTH_URL ? origin(env.BETTER_AUTH_URL, "BETTER_AUTH_URL", true) : null;

  const siteOrigins = list(env.AUTH_SITE_ORIGINS ?? (dev ? "http://127.0.0.1:3000,http://localhost:3000" : ""))
    .map((o) => origin(o, "AUTH_SITE_ORIGINS", false));
  if (siteOrigins.length === 0) {
    throw new ConfigError(
      "AUTH_SITE_ORIGINS is not set: set it to the book site's origin(s), comma-separated " +
        "(e.g. https://book.example.org); they are the only origins allowed to sign in",
    );
  }

  const databaseURL = normaliseDatabaseURL(env.AUTH_DATABASE_URL ?? env.DATABASE_URL ?? "");
  const driver = pickDriver(databaseURL, env.DATABASE_DRIVER);

  const jwtLifetime = env.AUTH_JWT_LIFETIME ?? "5m";
  if (!/^\d+\s*(s|m|h)$/.test(jwtLifetime)) {
    throw new ConfigError(`AUTH_JWT_LIFETIME=${jwtLifetime} is not a duration: use e.g. 300s, 5m or 1h`);
  }

  const trustedProxies = list(env.AUTH_TRUSTED_PROXIES ?? "");

  return {
    dev,
    secret,
    host,
    port,
    baseURL,
    siteOrigins,
    databaseURL,
    driver,
    neon: {
      wsProxy: env.NEON_WS_PROXY || null,
      secureWebSocket: env.NEON_USE_SECURE_WEBSOCKET === undefined
        ? true
        : truthy(env.NEON_USE_SECURE_WEBSOCKET, "NEON_USE_SECURE_WEBSOCKET"),
      pipelineConnect: env.NEON_PIPELINE_CONNECT === undefined
        ? true
        : truthy(env.NEON_PIPELINE_CONNECT, "NEON_PIPELINE_CONNECT"),
    },
    jwtLifetime: jwtLifetime.replace(/\s+/g, ""),
    rateLimit: env.AUTH_RATE_LIMIT === undefined ? true : truthy(env.AUTH_RATE_LIMIT, "AUTH_RATE_LIMIT"),
    trustedProxies,
    migrate: !args.noMigrate,
    verbose: args.verbose,
    socialProviders: socialProviders(env),
  };
}

/** The database URL with its password replaced, for messages. */
export function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "<unparsable URL>";
  }
}

function parseArgs(argv) {
  const out = { dev: false, noMigrate: false, verbose: false, host: undefined, port: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [name, inline] = a.includes("=") ? a.split(/=(.*)/s, 2) : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new ConfigError(`${name} needs a value`);
      return v;
    };
    if (name === "--dev") out.dev = true;
    else if (name === "--no-migrate") out.noMigrate = true;
    else if (name === "--verbose") out.verbose = true;
    else if (name === "--host") out.host = value();
    else if (name === "--port") out.port = value();
    else throw new ConfigError(`unknown option ${a}: use --host, --port, --dev, --no-migrate or --verbose`);
  }
  return out;
}

function truthy(value, name) {
  if (value === undefined || value === "") return false;
  const v = value.toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  throw new ConfigError(`${name}=${value} is not a boolean: use 1 or 0`);
}

function parsePort(value, name) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ConfigError(`${name}=${value} is not a port: use a number from 0 (any free port) to 65535`);
  }
  return n;
}

function list(value) {
  return value.split(",").map((s) => s.trim()).filter(Boolean);
}

function origin(value, name, allowPath) {
  let u;
  try {
    u = new URL(value);
  } catch {
    throw new ConfigError(`${name}: ${value} is not a URL: use e.g. https://book.example.org`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw new ConfigError(`${name}: ${value} must start with http:// or https://`);
  }
  if (!allowPath) return u.origin;
  return u.toString().replace(/\/$/, "");
}

function normaliseDatabaseURL(value) {
  if (!value) {
    throw new ConfigError(
      "DATABASE_URL is not set: set AUTH_DATABASE_URL or DATABASE_URL to a Postgres URL " +
        "(postgresql://user:password@host:5432/db, or a Neon URL as the console shows it)",
    );
  }
  // bookctl's own setting may carry a SQLAlchemy driver name; the same database is fine.
  const url = value.replace(/^postgres(ql)?\+[a-z0-9]+:\/\//i, "postgresql://");
  let u;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError("DATABASE_URL is not a URL: use postgresql://user:password@host:5432/db");
  }
  if (u.protocol !== "postgresql:" && u.protocol !== "postgres:") {
    throw new ConfigError(
      `DATABASE_URL uses ${u.protocol.replace(":", "")}: the auth service needs Postgres (or Neon), ` +
        "e.g. postgresql://user:password@host:5432/db",
    );
  }
  return url;
}

function pickDriver(url, requested) {
  if (requested) {
    const r = requested.toLowerCase();
    if (r !== "pg" && r !== "neon") {
      throw new ConfigError(`DATABASE_DRIVER=${requested} is not known: use pg or neon`);
    }
    return r;
  }
  return NEON_HOST.test(new URL(url).hostname) ? "neon" : "pg";
}

function socialProviders(env) {
  // Off unless both halves of a provider's credentials are set (they need the internet).
  const out = {};
  for (const [name, prefix] of [["github", "GITHUB"], ["google", "GOOGLE"]]) {
    const clientId = env[`AUTH_${prefix}_CLIENT_ID`];
    const clientSecret = env[`AUTH_${prefix}_CLIENT_SECRET`];
    if (clientId && clientSecret) out[name] = { clientId, clientSecret };
    else if (clientId || clientSecret) {
      throw new ConfigError(
        `AUTH_${prefix}_CLIENT_ID and AUTH_${prefix}_CLIENT_SECRET go together: set both or neither`,
      );
    }
  }
  return out;
}
