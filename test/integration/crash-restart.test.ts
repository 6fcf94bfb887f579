import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../infra/local/local-stack.ts";
import { mailsTo } from "../support/outbox.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { waitUntil } from "../support/wait.ts";

const adminToken = "crash-restart-admin-token";

/**
 * `npm start` killed with `kill -9` (the whole process group, DynamoDB Local included) in the
 * middle of a mailing, then started again on the same data dir: the mailing finishes by itself,
 * everyone mailed exactly once. Then, on the same stack, its bus refusing `PutEvents` for a while.
 */
describe("kill -9 of npm start during a mailing", () => {
  const started: ChildProcess[] = [];
  let dataDir: string;
  const killGroup = (child: ChildProcess) => {
    if (child.pid && child.exitCode === null && child.signalCode === null)
      process.kill(-child.pid, "SIGKILL");
  };

  afterAll(async () => {
    for (const child of started) killGroup(child);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function start(ports: Record<string, number>) {
    const child = spawn(process.execPath, ["--import", "tsx", "infra/local/start.ts"], {
      env: {
        ...Object.fromEntries(
          Object.entries(process.env).filter(
            ([name]) =>
              !name.startsWith("AWS_") &&
              !/^(TABLE_NAME|EVENT_BUS_NAME|SENDER_EMAIL|SES_CONFIGURATION_SET|PUBLIC_URL|CONVENE_LEASE_EPOCH)$/.test(
                name,
              ),
          ),
        ),
        CONVENE_DATA_DIR: dataDir,
        CONVENE_PORT: String(ports.http),
        CONVENE_DYNAMODB_PORT: String(ports.dynamo),
        CONVENE_SES_PORT: String(ports.ses),
        CONVENE_BUS_PORT: String(ports.bus),
        CONVENE_ADMIN_TOKEN: adminToken,
        CONVENE_SES_MAX_SEND_RATE: "10",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, killed as a whole
    });
    started.push(child);
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const collect = (chunk: Buffer) => {
        output += chunk;
        if (output.includes("Press Ctrl-C to stop")) resolve();
      };
      child.stdout?.on("data", collect);
      child.stderr?.on("data", collect);
      child.once("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
    return child;
  }

  let ports: Record<"http" | "dynamo" | "ses" | "bus", number>;
  const outbox = () => join(dataDir, "outbox");
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`http://127.0.0.1:${ports.http}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  it("finishes the mailing after a restart: nobody missing, nobody twice", { timeout: 90_000 }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), "convene-crash-"));
    ports = {
      http: await freePort(),
      dynamo: await freePort(),
      ses: await freePort(),
      bus: await freePort(),
    };

    const first = await start(ports);
    const id = uniqueId("crash");
    await call("PUT", `/admin/events/${id}`, sampleEvent());
    const people = Array.from({ length: 30 }, () => registrant());
    for (const person of people)
      expect((await call("POST", `/events/${id}/registrations`, person)).status).toBe(201);
    const mailing = await call("POST", `/admin/events/${id}/mailings`, {
      name: "Crash",
      segment: {},
      subject: { fr: "Après la panne", en: "After the crash" },
      body: { fr: "Bonjour", en: "Hello" },
    });
    const mailingId = mailing.json.mailingId as string;
    const mailingMails = async () =>
      (await Promise.all(people.map((person) => mailsTo(outbox(), person.email)))).map(
        (mails) => mails.filter((mail) => /panne|crash/.test(mail.parsed.subject ?? "")).length,
      );
    expect((await call("POST", `/admin/events/${id}/mailings/${mailingId}/send`)).status).toBe(202);
    await waitUntil("some of the mailing to go out", mailingMails, (counts) =>
      counts.some((count) => count > 0),
    );
    killGroup(first);
    await once(first, "exit");

    await start(ports);
    const sent = await waitUntil(
      "the mailing to finish",
      async () => (await call("GET", `/admin/events/${id}/mailings/${mailingId}`)).json,
      (view) => view.status === "sent",
      60_000,
    );

    expect(await mailingMails()).toEqual(people.map(() => 1));
    expect(sent.sent).toBe(30);
  });

  // The same restarted stack: its bus made to refuse `PutEvents` (the local bus's test switch).
  it("registers while the bus refuses PutEvents, and confirms everyone once it accepts again", {
    timeout: 90_000,
  }, async () => {
    const refuse = (on: boolean) =>
      fetch(`http://127.0.0.1:${ports.bus}/_local/refuse-put-events?refuse=${on ? 1 : 0}`, {
        method: "POST",
      });
    const id = uniqueId("refused");
    await call("PUT", `/admin/events/${id}`, sampleEvent());
    const people = Array.from({ length: 5 }, () => registrant());
    const confirmations = () =>
      Promise.all(people.map(async (person) => (await mailsTo(outbox(), person.email)).length));

    await refuse(true);
    const statuses = [];
    for (const person of people)
      statuses.push((await call("POST", `/events/${id}/registrations`, person)).status);
    // Refused across several of the stream relay's retries: nothing can have been mailed yet.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const whileRefused = await confirmations();
    await refuse(false);
    const after = await waitUntil(
      "everyone's confirmation",
      confirmations,
      (counts) => counts.every((n) => n > 0),
      60_000,
    );

    expect(statuses).toEqual(people.map(() => 201));
    expect(whileRefused).toEqual(people.map(() => 0));
    expect(after).toEqual(people.map(() => 1));
  });
});
