/**
 * Measures issue 13's registration figure: registrations through the local API at ≥ 0.7 of the
 * rate of the bare 3-item DynamoDB transaction a registration needs, same run, same concurrency.
 *
 *   npx tsx scripts/measure-registration.ts [requests per round] [concurrency]
 *
 * It starts its own local stack (DynamoDB Local in memory, free ports) and alternates two rounds
 * of each: the bare transaction (registration, email lock, session counter with its capacity
 * condition, as `createRegistration` writes them) sent straight to DynamoDB Local, and
 * `POST /events/{id}/registrations` through the local API with everything the request does today
 * (validation, the event read through its 5-second cache, and the one transaction, which also
 * writes the outbox item, the three rate-limit counters and a check of the event's version: no
 * `PutEvents`, the table's stream relays the outbox).
 * The per-IP rate limit is raised, not turned off, so its counters cost what they cost. Between
 * rounds it waits for the bus to settle (the stream relayed everything, the confirmations were
 * mailed), so the background work does not slow the next round. The figure is the mean of the two
 * rounds' ratios. Exit 1 if under the goal.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { startLocalStack } from "../infra/local/local-stack.ts";
import { reportFigures } from "./figures.ts";

const requests = Number(process.argv[2] ?? 400);
const concurrency = Number(process.argv[3] ?? 8);
const goal = 0.7;
const adminToken = "measure-registration";
const eventId = "measure-registration";

process.env.CONVENE_REGISTRATION_RATE_LIMIT = String(1_000_000);
const dataDir = await mkdtemp(join(tmpdir(), "convene-measure-"));
const stack = await startLocalStack({
  dataDir,
  ports: { http: 0, dynamo: 0, ses: 0, bus: 0 },
  sesMaxSendRate: 1_000,
  adminToken,
  inMemoryDynamo: true,
  seed: false,
  log: () => {},
  functionLogLevel: "SILENT",
});

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.urls.dynamo }));
const tableName = process.env.TABLE_NAME ?? "";

/** Until the stream has relayed every outbox item and the bus has delivered what that caused. */
async function settled(): Promise<void> {
  const response = await fetch(`${stack.urls.bus}/_local/settled?ticks=0`);
  if (!response.ok) throw new Error(`the local bus answered ${response.status}`);
}

/** Runs `count` calls of `task`, `concurrency` at a time; returns calls per second. */
async function rate(count: number, task: (index: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function bareTransaction(round: number, index: number): Promise<void> {
  const id = randomUUID();
  await db.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName,
            Item: { pk: `EVENT#bench`, sk: `REGISTRATION#${id}`, email: `bare${round}-${index}@example.org` },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: { pk: `EVENT#bench`, sk: `EMAIL#bare${round}-${index}@example.org`, registrationId: id },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
        {
          Update: {
            TableName: tableName,
            Key: { pk: `EVENT#bench`, sk: `SESSION#en` },
            UpdateExpression: "ADD confirmed :one",
            ConditionExpression: "attribute_not_exists(confirmed) OR confirmed < :capacity",
            ExpressionAttributeValues: { ":one": 1, ":capacity": 1_000_000 },
          },
        },
      ],
    }),
  );
}

/**
 * A POST; sent again once if the connection was reset before any answer (a kept-alive socket the
 * local API closed as it was reused, after the seconds the other round left it idle).
 */
async function post(url: string, body: string): Promise<Response> {
  const send = () => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  try {
    return await send();
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== "ECONNRESET") throw error;
    return send();
  }
}

async function registration(round: number, index: number): Promise<void> {
  const response = await post(
    `${stack.urls.api}/events/${eventId}/registrations`,
    JSON.stringify({
      sessionId: "en",
      email: `person${round}-${index}@example${index % 50}.org`,
      firstName: "Test",
      lastName: `Person ${index}`,
      organisation: "City",
      organisationType: "local-government",
      country: "FR",
      consent: true,
    }),
  );
  // 200: the same registration again, when a reset request had been received after all.
  if (response.status !== 201 && response.status !== 200)
    throw new Error(`registration answered ${response.status}: ${await response.text()}`);
}

let exitCode = 0;
try {
  const startsAt = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const created = await fetch(`${stack.urls.api}/admin/events/${eventId}`, {
    method: "PUT",
    headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({
      title: { en: "Registration measurement" },
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
  });
  if (!created.ok) throw new Error(`PUT event answered ${created.status}: ${await created.text()}`);
  // Warm-up: the first calls load modules and open connections, and DynamoDB Local's JVM compiles
  // its hot paths over the first few hundred calls (with 16 calls of warm-up, the first round's
  // bare transactions ran at a quarter of the second's rate, which flattered the first ratio).
  await rate(Math.max(concurrency * 2, requests / 2), (index) => bareTransaction(0, index));
  await rate(concurrency * 2, (index) => registration(0, index));
  await settled();

  const ratios: number[] = [];
  for (const round of [1, 2]) {
    const bare = await rate(requests, (index) => bareTransaction(round, index));
    const api = await rate(requests, (index) => registration(round, index));
    await settled();
    ratios.push(api / bare);
    console.log(
      `round ${round}: bare transaction ${bare.toFixed(0)}/s, registration through the API ${api.toFixed(0)}/s, ` +
        `ratio ${(api / bare).toFixed(2)} (concurrency ${concurrency}, ${requests} each)`,
    );
  }
  const ratio = ratios.reduce((sum, value) => sum + value, 0) / ratios.length;
  reportFigures([
    {
      figure: `registration rate / bare 3-item transaction rate (concurrency ${concurrency})`,
      value: ratio.toFixed(2),
      goal: `≥ ${goal}`,
      pass: ratio >= goal,
    },
  ]);
  if (ratio < goal) exitCode = 1;
} finally {
  db.destroy();
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
