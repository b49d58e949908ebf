// Signs a JWT with the auth service's own current key, through Better Auth's server-only signJWT
// endpoint, with claims the test chooses (an expired one, another audience, ...). It reads the
// service's settings from the environment, as the service does, and the payload as JSON from argv.
//   node tests/auth/sign_jwt.mjs '{"sub": "u1", "exp": 1}'   -> the JWT on stdout
import { createAuth } from "../../services/auth/src/auth.js";
import { loadConfig } from "../../services/auth/src/config.js";
import { createPool } from "../../services/auth/src/db.js";

const config = loadConfig(process.env);
const pool = createPool(config);
try {
  const auth = createAuth({ ...config, baseURL: config.baseURL }, pool);
  const { token } = await auth.api.signJWT({ body: { payload: JSON.parse(process.argv[2]) } });
  process.stdout.write(token);
} finally {
  await pool.end();
}
