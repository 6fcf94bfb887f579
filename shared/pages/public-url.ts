import * as z from "zod";
import { readConfig } from "../config.ts";

/**
 * The site's public base URL (`PUBLIC_URL`), read at cold start, for pages that name their own
 * absolute URL (the event page's canonical link and link previews): never built from a request's
 * `Host` or `X-Forwarded-Proto`, which a client controls. Given by the wiring's `publicUrl` access.
 */
export const pagesPublicUrl = readConfig({ PUBLIC_URL: z.url({ protocol: /^https?$/ }) }).PUBLIC_URL.replace(
  /\/+$/,
  "",
);
