// The HTTP surface: Better Auth under /api/auth/*, CORS for the book's site only, /healthz.
import { Hono } from "hono";
import { cors } from "hono/cors";

import { ping } from "./db.js";

/**
 * @param {import("./config.js").Config} config
 * @param {ReturnType<typeof import("./auth.js").createAuth>} auth
 * @param {import("pg").Pool} pool
 */
export function createApp(config, auth, pool) {
  const app = new Hono();
  app.use(
    "/api/auth/*",
    cors({
      origin: (origin) => (config.siteOrigins.includes(origin) ? origin : null),
      credentials: true,
      allowMethods: ["GET", "POST", "OPTIONS"],
      allowHeaders: ["Content-Type", "Authorization"],
      // The bearer plugin's session token and the JWT plugin's token, readable by the site.
      exposeHeaders: ["set-auth-token", "set-auth-jwt"],
      maxAge: 600,
    }),
  );
  app.get("/healthz", async (c) => {
    try {
      await ping(pool);
      return c.json({ status: "ok", database: "ok", issuer: config.baseURL });
    } catch (err) {
      return c.json({ status: "error", database: `unreachable (${reason(err)})` }, 503);
    }
  });
  app.on(["GET", "POST"], "/api/auth/*", (c) => {
    const request = c.req.raw;
    // The client's address as the socket saw it, for Better Auth's rate limiter (see auth.js).
    const peer = c.env?.incoming?.socket?.remoteAddress ?? "";
    request.headers.set("x-bookctl-peer", peer.replace(/^::ffff:/, ""));
    const forwarded = request.headers.get("x-forwarded-for");
    request.headers.set("x-forwarded-for", forwarded ? `${forwarded}, ${peer}` : peer);
    return auth.handler(request);
  });
  return app;
}

export function reason(err) {
  const e = /** @type {any} */ (err);
  return (e?.code && e?.message ? `${e.code}: ${e.message}` : e?.message || String(err)).split("\n")[0];
}
