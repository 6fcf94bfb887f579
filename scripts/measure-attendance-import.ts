/**
 * Measures issue 5's figure: "a 20,000-row report imports within one request, in seconds on the
 * local stack".
 *
 *   npx tsx scripts/measure-attendance-import.ts [rows] [registrants]
 *
 * It starts its own local stack (DynamoDB Local in memory, free ports), creates an event with
 * `registrants` confirmed registrations, builds a Zoom meeting participants export of `rows` rows
 * (two stays per person, so rows / 2 people, the registrants among them), uploads it once, times
 * the request, checks the counts, and stops the stack. It exits with 1 if a check fails.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalStack } from "../infra/local/local-stack.ts";

const rows = Number(process.argv[2] ?? 20_000);
const registrants = Number(process.argv[3] ?? 500);
const adminToken = "measure-attendance";
const eventId = "measure-attendance";

// One client registers everyone: the per-IP limit of registrations would stop it at 120.
process.env.CONVENE_REGISTRATION_RATE_LIMIT = "0";
const dataDir = await mkdtemp(join(tmpdir(), "convene-measure-"));
const stack = await startLocalStack({
  dataDir,
  ports: { http: 0, dynamo: 0, ses: 0, bus: 0 },
  sesMaxSendRate: 1000,
  adminToken,
  inMemoryDynamo: true,
  seed: false,
  log: () => undefined,
});

async function api(method: string, path: string, body: string | undefined, contentType = "application/json") {
  const response = await fetch(`${stack.urls.api}${path}`, {
    method,
    headers: { "content-type": contentType, authorization: `Bearer ${adminToken}` },
    body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

const email = (person: number) => `person${person}@example.org`;
const startsAt = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
let exitCode = 0;
try {
  await api(
    "PUT",
    `/admin/events/${eventId}`,
    JSON.stringify({
      title: { en: "Import measurement" },
      description: { en: "Measurement" },
      organiser: { name: "Convene", email: "organisers@example.org" },
      sessions: [
        {
          id: "en",
          language: "en",
          startsAt,
          durationMinutes: 90,
          timezone: "UTC",
          joinUrl: "https://example.org/j",
        },
      ],
      reminders: [],
    }),
  );
  for (let start = 0; start < registrants; start += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, registrants - start) }, (_, index) =>
        api(
          "POST",
          `/events/${eventId}/registrations`,
          JSON.stringify({
            sessionId: "en",
            email: email(start + index),
            firstName: "Test",
            lastName: `Person ${start + index}`,
            organisation: "City",
            organisationType: "local-government",
            country: "FR",
            consent: true,
          }),
        ),
      ),
    );
  }

  const lines = ["Participant,Email,Join time,Leave time,Duration (minutes),Guest"];
  for (let row = 0; row < rows; row++) {
    const person = Math.floor(row / 2);
    const [join, leave] = row % 2 === 0 ? ["10:00:00", "10:30:00"] : ["10:40:00", "11:20:00"];
    lines.push(
      `Person ${person},${email(person)},07/31/2019 ${join} AM,07/31/2019 ${leave} AM,${row % 2 ? 40 : 30},No`,
    );
  }
  const report = lines.join("\r\n");

  const started = performance.now();
  const summary = await api("POST", `/admin/events/${eventId}/sessions/en/attendance`, report, "text/csv");
  const seconds = (performance.now() - started) / 1000;

  const expectedPeople = Math.ceil(rows / 2);
  const ok = summary.people === expectedPeople && summary.attended === Math.min(registrants, expectedPeople);
  console.log(
    `${rows} rows (${(report.length / 1024 / 1024).toFixed(1)} MB), ${summary.people} people, ` +
      `${summary.attended} registrants attended, ${(summary.unmatched as unknown[]).length} unmatched: ` +
      `imported in ${seconds.toFixed(2)} s${ok ? "" : " — COUNTS WRONG"}`,
  );
  if (!ok) exitCode = 1;
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
