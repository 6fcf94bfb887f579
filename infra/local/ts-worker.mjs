// The entry of a worker thread that runs a TypeScript module (`workerData.entry`, a file URL).
// A worker does not inherit the loader hooks its parent registered (tsx's under `npm start`, none
// in Vitest's workers), and Node's own type stripping (22.18+) refuses what tsx compiles (e.g.
// constructor parameter properties): tsx's loader is registered here, before the first import.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
