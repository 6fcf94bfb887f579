import { afterAll, vi } from "vitest";

/**
 * Run before each test file of a project whose worker is reused without isolation. Each file
 * starts as it would in a process of its own: the project's modules evaluated anew (a file may
 * set variables the functions read at import, mock the mailer, or leave a module's cache or client
 * pointing at services it stopped) and the worker's environment as it was. The packages of
 * node_modules (the AWS SDK, zod, Powertools, the CDK: most of a file's import time) are loaded by
 * Node itself and stay loaded: what a test worker gains from being reused.
 */
vi.resetModules();
const environment = { ...process.env };
afterAll(() => {
  for (const name of Object.keys(process.env)) if (!(name in environment)) delete process.env[name];
  Object.assign(process.env, environment);
});
