/** The plugin's options, as a site writes them in docusaurus.config and as the browser receives them. */
import type {OptionValidationContext} from '@docusaurus/types';
import {Joi} from '@docusaurus/utils-validation';

export type AuthOptions = {
  /**
   * The readers' accounts service (bookctl's services/auth, Better Auth), e.g. `http://127.0.0.1:3001`.
   * Set: the navbar item `{type: 'custom-bookctlAccount'}` signs readers up, in and out, and the chat
   * sends a fresh JWT from its `/api/auth/token` (the session travels as a bearer token, so the service
   * may live on another domain than the site).
   */
  serviceUrl?: string;
  /**
   * A URL answering GET (with the reader's cookies) with `{"token": "<JWT>"}`, e.g. Better Auth's
   * `/api/auth/token`. The token goes to the server as `Authorization: Bearer ...`. Unset: anonymous.
   */
  tokenUrl?: string;
  /** The server refuses anonymous readers (`bookctl serve --auth required`): ask them to sign in. */
  required?: boolean;
  /** Where "Sign in" points when `required` is set and no token can be had. */
  signInUrl?: string;
};

export type PluginOptions = {
  /** Where `bookctl serve` answers; the widget posts to `<serverUrl>/chatkit`. */
  serverUrl: string;
  /** ChatKit domain key (OpenAI dashboard). Empty: the fallback panel, which needs no key. */
  domainKey?: string;
  auth?: AuthOptions;
  /** The ChatKit web component script; the default is OpenAI's CDN. */
  chatkitScriptUrl?: string;
  /** How long to wait for that script before opening the fallback panel (ms). */
  chatkitLoadTimeoutMs?: number;
};

export type Options = Required<Omit<PluginOptions, 'auth'>> & {auth: AuthOptions};

export const DEFAULT_CHATKIT_SCRIPT = 'https://cdn.platform.openai.com/deployments/chatkit/chatkit.js';

const httpUrl = Joi.string().uri({scheme: ['http', 'https']});

export const OptionsSchema = Joi.object<Options>({
  serverUrl: httpUrl.required().messages({
    'any.required': '"serverUrl" is required: the URL where `bookctl serve` runs, e.g. http://127.0.0.1:8765',
    'string.uri': '"serverUrl" must be an http(s) URL where `bookctl serve` runs, e.g. http://127.0.0.1:8765',
    'string.uriCustomScheme': '"serverUrl" must be an http(s) URL where `bookctl serve` runs, e.g. http://127.0.0.1:8765',
  }),
  domainKey: Joi.string().allow('').default(''),
  auth: Joi.object<AuthOptions>({
    serviceUrl: httpUrl,
    tokenUrl: httpUrl,
    required: Joi.boolean().default(false),
    signInUrl: Joi.string(),
  }).default({required: false}),
  chatkitScriptUrl: httpUrl.default(DEFAULT_CHATKIT_SCRIPT),
  chatkitLoadTimeoutMs: Joi.number().integer().min(100).max(60000).default(5000),
});

export function validateOptions({validate, options}: OptionValidationContext<PluginOptions, Options>): Options {
  return validate(OptionsSchema, options);
}
