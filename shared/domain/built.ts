/**
 * Builds a module's schema at import, as a plain constant would. Write it as
 * `/* @__PURE__ *\/ built(() => z.object(…))`: the mark tells esbuild the call has no side effect,
 * so a function whose code never reads the schema leaves it out of its bundle, and its cold start
 * does not build it (every zod schema built costs tens of microseconds there; the domain's were
 * all built by every function that imported one helper from their module). A function that does
 * read the schema builds it at import, as before: nothing moves into the first request.
 */
export const built = <T>(build: () => T): T => build();
