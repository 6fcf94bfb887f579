import { z } from "zod";

// zod compiles object parsers with `new Function` once it has checked that it may: that check
// alone makes the browser report a violation of the console's CSP (no 'unsafe-eval'). The
// console's few small schemas do not need the speed. Imported first by `main.tsx`, so that it is
// set before any module builds or parses a schema.
z.config({ jitless: true });
