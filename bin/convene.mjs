#!/usr/bin/env node
// Node.js 20 cannot run TypeScript itself: tsx compiles `convene.ts` and what it imports on the fly.
import { register } from "tsx/esm/api";

register();
await import("./convene.ts");
