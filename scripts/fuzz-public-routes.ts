/**
 * The fuzz figure of issue 10 ("2,000 fuzzed requests on the public routes → 0 responses of 500
 * or more"), against a running `npm start`:
 *
 *   npx tsx scripts/fuzz-public-routes.ts [requests] [seed]
 *
 * It creates an event with one registrant through the admin API (the local admin token from
 * `.convene/admin-token`), signs that registrant's manage token and an unsubscribe token with the
 * key in DynamoDB Local (as the running stack does), then sends the requests of the fuzz suite
 * (`test/integration/fuzz-requests.ts`: malformed paths, queries, headers and bodies), four at a
 * time, and prints how many got each status, and every 5xx. It exits with 1 if any did.
 */
import { readFile } from "node:fs/promises";
import fc from "fast-check";
import { localTableName } from "../infra/local/local-stack.ts";
import { runPool } from "../shared/pool.ts";
import { type FuzzRequest, fuzzRequest, sendRaw } from "../test/integration/fuzz-requests.ts";
import { registrant, sampleEvent } from "../test/support/sample-event.ts";

const requests = Number(process.argv[2] ?? 2_000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
const api = process.env.CONVENE_API_URL ?? "http://127.0.0.1:3000";
const adminToken = (await readFile(".convene/admin-token", "utf8")).trim();

// The signing key lives in the local table: reach DynamoDB Local as the running stack does.
Object.assign(process.env, {
  AWS_REGION: process.env.AWS_REGION ?? "eu-west-1",
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
  AWS_ENDPOINT_URL_DYNAMODB: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? "http://127.0.0.1:8000",
  TABLE_NAME: localTableName,
});
const { manageUrl } = await import("../shared/registrations/links.ts");
const { unsubscribeUrl } = await import("../shared/suppression/unsubscribe.ts");

const call = async (method: string, path: string, body: unknown, admin = false) => {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      ...(admin ? { authorization: `Bearer ${adminToken}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
};

const eventId = `fuzz-${seed}`;
await call("PUT", `/admin/events/${eventId}`, sampleEvent(), true);
const email = `fuzz-${seed}@example.org`;
const { registrationId } = (await call(
  "POST",
  `/events/${eventId}/registrations`,
  registrant({ email }),
)) as {
  registrationId: string;
};
const target = {
  eventId,
  registrationId,
  manageToken: new URL(await manageUrl(api, registrationId)).searchParams.get("token") ?? "",
  unsubscribeToken: new URL(await unsubscribeUrl(api, email)).searchParams.get("token") ?? "",
};

const sample = fc.sample(fuzzRequest(target), { numRuns: requests, seed });
const statuses = new Map<number, number>();
const serverErrors: { request: FuzzRequest; status: number; text: string }[] = [];
const started = Date.now();
await runPool(sample, 4, async (request) => {
  const response = await sendRaw(api, request).catch((error: unknown) => ({
    status: 0,
    contentType: "",
    text: String(error),
  }));
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  if (response.status >= 500 || response.status === 0) {
    serverErrors.push({ request, status: response.status, text: response.text.slice(0, 200) });
  }
});

const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`);
console.log(
  `${sample.length} fuzzed requests (seed ${seed}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
console.log(`by status: ${byStatus.join(", ")}`);
console.log(`responses of 500 or more (or no response): ${serverErrors.length}`);
for (const { request, status, text } of serverErrors) {
  console.log(`  ${status} ${request.method} ${request.path.slice(0, 120)} ${text}`);
}
process.exitCode = serverErrors.length ? 1 : 0;
