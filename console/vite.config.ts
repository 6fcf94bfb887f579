import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const apiPort = process.env.CONVENE_PORT ?? "3000";
const api = `http://127.0.0.1:${apiPort}`;

/**
 * The organiser console: a single-page app served at `/console/` (by `npm start` locally, by
 * CloudFront on AWS). Vite 8 compiles TSX itself (Oxc), with React's automatic JSX runtime, so no
 * plugin is needed. `npm run console:dev` serves it with hot reload and sends API calls and the
 * local `config.json` to the running `npm start`.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/console/",
  oxc: { jsx: { runtime: "automatic" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    // The app is about 290 kB compressed (the charts, 65 kB, load with the dashboard), loaded once
    // per session: splitting it further would add round trips for little.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // React libraries mark their modules "use client" for server components; an SPA has none.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
  },
  server: {
    host: "127.0.0.1",
    proxy: {
      "/admin": api,
      "/events": api,
      "/console/config.json": api,
    },
  },
});
