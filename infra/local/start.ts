import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import * as z from "zod";
import { apiUrlFileName } from "../../bin/settings.ts";
import { readConfig } from "../../shared/config.ts";
import { consoleDistDir, ensureConsoleBuilt } from "./console-build.ts";
import { demoEventId } from "./demo-event.ts";
import { startLocalStack } from "./local-stack.ts";

/** `npm start`: the whole system on this machine, with the ports and settings of the README. */
const settings = readConfig({
  CONVENE_PORT: z.coerce.number().int().default(3000),
  CONVENE_DYNAMODB_PORT: z.coerce.number().int().default(8000),
  CONVENE_SES_PORT: z.coerce.number().int().default(8005),
  CONVENE_BUS_PORT: z.coerce.number().int().default(4010),
  CONVENE_DATA_DIR: z.string().default(".convene"),
  CONVENE_PUBLIC_URL: z.url().optional(),
  CONVENE_SES_MAX_SEND_RATE: z.coerce.number().positive().default(14),
  CONVENE_SES_VERIFIED_IDENTITIES: z
    .string()
    .transform((list) =>
      list
        .split(",")
        .map((identity) => identity.trim())
        .filter(Boolean),
    )
    .optional(),
  CONVENE_SES_SANDBOX: z
    .enum(["0", "1"])
    .default("0")
    .transform((flag) => flag === "1"),
  CONVENE_SES_MAX_24_HOUR_SEND: z.coerce.number().int().positive().optional(),
  CONVENE_LOCAL_SCHEDULE_SECONDS: z.coerce.number().positive().optional(),
  CONVENE_ADMIN_TOKEN: z.string().min(16).optional(),
  // Test switch only (see `crashAfterSend` in local-stack.ts): dies right after SES took a mail.
  CONVENE_TEST_CRASH_AFTER_SEND: z.string().min(3).optional(),
});

const startedAt = Date.now();
await ensureConsoleBuilt().catch((error: unknown) => {
  console.error(
    `The organiser console could not be built: ${error instanceof Error ? error.message : error}`,
  );
  process.exit(1);
});
const stack = await startLocalStack({
  dataDir: resolve(settings.CONVENE_DATA_DIR),
  ports: {
    http: settings.CONVENE_PORT,
    dynamo: settings.CONVENE_DYNAMODB_PORT,
    ses: settings.CONVENE_SES_PORT,
    bus: settings.CONVENE_BUS_PORT,
  },
  publicUrl: settings.CONVENE_PUBLIC_URL,
  sesMaxSendRate: settings.CONVENE_SES_MAX_SEND_RATE,
  ses: {
    verifiedIdentities: settings.CONVENE_SES_VERIFIED_IDENTITIES,
    sandbox: settings.CONVENE_SES_SANDBOX,
    max24HourSend: settings.CONVENE_SES_MAX_24_HOUR_SEND,
  },
  scheduleSeconds: settings.CONVENE_LOCAL_SCHEDULE_SECONDS,
  adminToken: settings.CONVENE_ADMIN_TOKEN,
  crashAfterSend: settings.CONVENE_TEST_CRASH_AFTER_SEND,
  seed: true,
  consoleDir: consoleDistDir,
}).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

// `convene` reads this beside the admin token, so it calls this stack whatever its port.
await writeFile(join(resolve(settings.CONVENE_DATA_DIR), apiUrlFileName), `${stack.urls.api}\n`);

console.log(`
Convene is running (started in ${((Date.now() - startedAt) / 1000).toFixed(1)} s). Data: ${resolve(settings.CONVENE_DATA_DIR)}

  Organiser console  ${stack.urls.console}
  Sign in directly   ${signInLink(stack.urls.console, stack.adminToken)}
  API                ${stack.urls.api}
  Demo event         ${stack.urls.api}/events/${demoEventId}
  Registration form  ${stack.urls.api}/events/${demoEventId}/register
  Outbox (local SES) ${stack.urls.outbox}/
  DynamoDB Local     ${stack.urls.dynamo}
  Event bus          ${stack.urls.bus}
  Admin token        ${stack.adminToken}

  Try: curl -H "Authorization: Bearer ${stack.adminToken}" ${stack.urls.api}/admin/events/${demoEventId}
  Press Ctrl-C to stop.
`);

/**
 * The console link that signs the organiser in: the token rides in the fragment, which browsers
 * never send to a server (so no request log or Referer carries it), and the app removes it from
 * the address bar as soon as it has read it.
 */
function signInLink(consoleUrl: string, token: string): string {
  return `${consoleUrl}#token=${encodeURIComponent(token)}`;
}

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping Convene…");
    stack.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
