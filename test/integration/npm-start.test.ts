import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../infra/local/local-stack.ts";

type EventView = { sessions: { id: string; joinUrl?: string }[]; createdAt: string };
const getEvent = async (url: string, token?: string) =>
  (await (
    await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} })
  ).json()) as EventView;

/** `npm start` as a newcomer runs it: a real process, its printed URLs, Ctrl-C, and a restart. */
describe("npm start", () => {
  const started: ChildProcess[] = [];
  let dataDir: string;

  afterAll(async () => {
    for (const child of started) child.kill("SIGKILL");
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function start(ports: Record<string, number>) {
    const child = spawn(process.execPath, ["--import", "tsx", "infra/local/start.ts"], {
      env: {
        ...process.env,
        CONVENE_DATA_DIR: dataDir,
        CONVENE_PORT: String(ports.http),
        CONVENE_DYNAMODB_PORT: String(ports.dynamo),
        CONVENE_SES_PORT: String(ports.ses),
        CONVENE_BUS_PORT: String(ports.bus),
        CONVENE_ADMIN_TOKEN: undefined,
        // A newcomer's shell: none of the variables the test run's own stack has set.
        ...Object.fromEntries(
          Object.keys(process.env)
            .filter(
              (name) =>
                name.startsWith("AWS_") ||
                /^(TABLE_NAME|EVENT_BUS_NAME|SENDER_EMAIL|SES_CONFIGURATION_SET|PUBLIC_URL)$/.test(name),
            )
            .map((name) => [name, undefined]),
        ),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    started.push(child);
    let output = "";
    const ready = new Promise<void>((resolve, reject) => {
      const collect = (chunk: Buffer) => {
        output += chunk;
        if (output.includes("Press Ctrl-C to stop")) resolve();
      };
      child.stdout?.on("data", collect);
      child.stderr?.on("data", collect);
      child.once("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
    await ready;
    return { child, output };
  }

  async function stop(child: ChildProcess) {
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    return code as number | null;
  }

  it("serves the demo event and the outbox, stops everything on SIGTERM, and keeps data across a restart", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "convene-start-"));
    const ports = {
      http: await freePort(),
      dynamo: await freePort(),
      ses: await freePort(),
      bus: await freePort(),
    };

    const first = await start(ports);
    const api = `http://127.0.0.1:${ports.http}`;
    const event = await getEvent(`${api}/events/mc2cm-webinar-4`);
    const outbox = await fetch(`http://127.0.0.1:${ports.ses}/`);
    const token = /Admin token\s+(\S+)/.exec(first.output)?.[1];
    const adminView = await getEvent(`${api}/admin/events/mc2cm-webinar-4`, token);
    const consolePage = await fetch(`${api}/console/events/mc2cm-webinar-4`);
    const firstExit = await stop(first.child);

    expect(first.output).toContain(`${api}/events/mc2cm-webinar-4/register`);
    expect(first.output).toContain(`Sign in directly   ${api}/console/#token=${token}`);
    expect(consolePage.headers.get("content-type")).toContain("text/html");
    expect(await consolePage.text()).toContain('<div id="root">');
    expect(event.sessions.map((session) => session.id)).toEqual(["fr", "en"]);
    expect(JSON.stringify(event)).not.toContain("joinUrl");
    expect(outbox.status).toBe(200);
    expect(adminView.sessions[0]?.joinUrl).toMatch(/^https:/);
    expect(firstExit).toBe(0);
    await expect(fetch(`http://127.0.0.1:${ports.dynamo}/`)).rejects.toThrow();

    const second = await start(ports);
    const afterRestart = await getEvent(`${api}/admin/events/mc2cm-webinar-4`, token);
    await stop(second.child);

    expect(second.output).toContain(`Admin token        ${token}`);
    expect(afterRestart.createdAt).toBe(adminView.createdAt);
    expect(afterRestart.sessions).toEqual(adminView.sessions);
  }, 90_000);
});
