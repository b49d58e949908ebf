// The Better Auth instance: the whole auth configuration is in this file.
import { betterAuth } from "better-auth";
import { bearer, jwt } from "better-auth/plugins";

// Better Auth's tables, prefixed so that a database shared with bookctl's session log
// (bookctl_sessions, bookctl_turns, the Agents SDK memory in bookctl_agent_sessions / _messages, the ChatKit
// store's tables) reads plainly: auth_session is a sign-in, bookctl_sessions a conversation.
export const TABLES = {
  user: "auth_user",
  session: "auth_session",
  account: "auth_account",
  verification: "auth_verification",
  jwks: "auth_jwks",
};

/**
 * @param {import("./config.js").Config & { baseURL: string }} config
 * @param {import("pg").Pool} pool
 */
export function createAuth(config, pool) {
  return betterAuth({
    appName: "bookctl",
    baseURL: config.baseURL,
    basePath: "/api/auth",
    secret: config.secret,
    database: pool,
    trustedOrigins: config.siteOrigins,
    telemetry: { enabled: false },
    user: { modelName: TABLES.user },
    session: { modelName: TABLES.session },
    account: { modelName: TABLES.account },
    verification: { modelName: TABLES.verification },
    // Email + password. No mail is sent (no verification or reset mails): a reader can sign in
    // right after signing up.
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128 },
    // Off unless AUTH_GITHUB_* / AUTH_GOOGLE_* are set: they need the internet.
    socialProviders: config.socialProviders,
    rateLimit: { enabled: config.rateLimit, storage: "memory" },
    advanced: {
      // The server sets x-bookctl-peer from the socket (a client cannot forge it); behind a
      // reverse proxy listed in AUTH_TRUSTED_PROXIES, X-Forwarded-For is read instead.
      ipAddress: config.trustedProxies.length
        ? { ipAddressHeaders: ["x-forwarded-for"], trustedProxies: config.trustedProxies }
        : { ipAddressHeaders: ["x-bookctl-peer"] },
    },
    plugins: [
      // JWTs for bookctl serve: EdDSA (Ed25519) keys, private halves encrypted with the secret,
      // public ones at /api/auth/jwks; issuer and audience are the base URL; sub is the user id.
      // They cannot be revoked: a signed-out reader's JWT stays valid until it expires, so the
      // lifetime is short (AUTH_JWT_LIFETIME, 5 minutes by default) and clients fetch a fresh one.
      jwt({
        jwks: { keyPairConfig: { alg: "EdDSA", crv: "Ed25519" } },
        jwt: {
          issuer: config.baseURL,
          audience: config.baseURL,
          expirationTime: config.jwtLifetime,
          definePayload: ({ user }) => ({ name: user.name, email: user.email }),
        },
        schema: { jwks: { modelName: TABLES.jwks } },
      }),
      // The session token as `Authorization: Bearer`, for a site on another domain than the
      // service, where the browser would not send the session cookie.
      bearer(),
    ],
  });
}
