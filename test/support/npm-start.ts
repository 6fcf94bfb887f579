import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll } from "vitest";
import {
  freeStackPorts,
  type SpawnedStack,
  type StackPorts,
  spawnStack,
} from "../../infra/local/spawn-stack.ts";
import { localTableName } from "../../infra/local-names.ts";
import { mailsTo } from "./outbox.ts";

export type EventView = { sessions: { id: string; joinUrl?: string }[]; createdAt: string };

/** The variables the test run's own stack sets, which a newcomer's shell does not have. */
const runVariables =
  /^(TABLE_NAME|EVENT_BUS_NAME|SENDER_EMAIL|SENDER_NAME|SES_CONFIGURATION_SET|PUBLIC_URL|CONVENE_LEASE_EPOCH|CONVENE_ADMIN_TOKEN|CONVENE_SEND_EVENT_GRACE_MS)$/;

/**
 * `npm start` as a newcomer runs it, a real process (its own process group, DynamoDB Local
 * included), started again and again on one data dir and the same free ports by the steps of one
 * test file, and killed with its data dir after the file. Each `npm-start*.test.ts` file has one of
 * its own, so that the files' real starts (the costly part) run side by side. Call inside `describe`.
 */
export function npmStartSession(prefix: string) {
  const started: Promise<SpawnedStack>[] = [];
  let dataDir = "";
  let ports: StackPorts = { http: 0, dynamo: 0, ses: 0, bus: 0 };
  let current: SpawnedStack | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), `convene-${prefix}-`));
    ports = await freeStackPorts();
  });

  // A start still in progress when its test timed out is waited for (spawnStack gives up on it by
  // itself within its start timeout), then killed: otherwise its process group outlives the run.
  afterAll(async () => {
    for (const stack of await Promise.allSettled(started))
      if (stack.status === "fulfilled") await stack.value.crash();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 120_000);

  const session = {
    /** Read from the first start's output: `npm start` makes a token of its own for the data dir. */
    adminToken: "",
    get api() {
      return `http://127.0.0.1:${ports.http}`;
    },
    get ports() {
      return ports;
    },
    get dataDir() {
      return dataDir;
    },
    /** The running start (the last one). */
    get current(): SpawnedStack {
      if (!current) throw new Error("npm start was not started");
      return current;
    },
    outbox: () => join(dataDir, "outbox"),

    /**
     * `npm start` again on the same data dir (and ports, unless taken); `testSwitches` are its
     * test-only variables.
     */
    async start(testSwitches: Record<string, string> = {}): Promise<SpawnedStack> {
      for (let attempt = 1; ; attempt++) {
        const starting = spawnStack({
          dataDir,
          ports,
          env: {
            ...Object.fromEntries(
              Object.entries(process.env).filter(
                ([name]) => !runVariables.test(name) && !name.startsWith("AWS_"),
              ),
            ),
            ...testSwitches,
          },
          // Slow enough that a kill lands in the middle of a mailing.
          sesMaxSendRate: 10,
        });
        started.push(starting);
        try {
          current = await starting;
          break;
        } catch (error) {
          // A port found free can be taken before the start listens on it (the other files' starts
          // and connections draw from the same range): new ports, as a developer would pick.
          if (attempt === 3 || !String(error).includes("EADDRINUSE")) throw error;
          ports = await freeStackPorts();
        }
      }
      session.adminToken ||= /Admin token\s+(\S+)/.exec(current.output())?.[1] ?? "";
      return current;
    },

    /** The API as the organiser (the admin token) or anyone (public routes ignore it). */
    async call(method: string, path: string, body?: unknown) {
      const response = await fetch(`${session.api}${path}`, {
        method,
        headers: { authorization: `Bearer ${session.adminToken}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    },

    getEvent: async (path: string) => (await session.call("GET", path)).json as unknown as EventView,

    /** A record of the stack's table, read from its DynamoDB Local as the functions read it. */
    async deliveryRecord(key: { pk: string; sk: string }) {
      const client = DynamoDBDocumentClient.from(
        new DynamoDBClient({
          endpoint: `http://127.0.0.1:${ports.dynamo}`,
          region: "eu-west-1",
          credentials: { accessKeyId: "local", secretAccessKey: "local" },
        }),
      );
      try {
        return (await client.send(new GetCommand({ TableName: localTableName, Key: key }))).Item;
      } finally {
        client.destroy();
      }
    },

    outboxSize: async () =>
      (await readdir(session.outbox()).catch(() => [])).filter((file) => file.endsWith(".eml")).length,

    /** A person's mails whose subject `subject` matches (or, with `matching` false, does not). */
    mailsAbout: async (person: { email: string }, subject: RegExp, matching = true) =>
      (await mailsTo(session.outbox(), person.email)).filter(
        (mail) => subject.test(mail.parsed.subject ?? "") === matching,
      ),

    /** A draft mailing to every registrant of the event, with the subject given per language. */
    draftMailing: async (eventId: string, name: string, subject: { fr: string; en: string }) =>
      (
        await session.call("POST", `/admin/events/${eventId}/mailings`, {
          name,
          segment: {},
          subject,
          body: { fr: "Bonjour", en: "Hello" },
        })
      ).json.mailingId as string,
  };
  return session;
}
