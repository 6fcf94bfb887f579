import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort } from "../../infra/local/ports.ts";
import { buildConveneBundle, runNode } from "../support/convene-cli.ts";
import { waitForMails } from "../support/outbox.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";

const shim = fileURLToPath(new URL("../../bin/convene.mjs", import.meta.url));
let bundle: string;

/**
 * `convene` as an organiser runs it: a real process, its output and its exit code; compiled once
 * (test/support/convene-cli.ts) rather than by tsx on every start, except through `program`.
 */
function convene(args: string[], env: Record<string, string | undefined> = {}, program = bundle) {
  return runNode(program, args, {
    CONVENE_API_URL: inject("api"),
    CONVENE_ADMIN_TOKEN: inject("adminToken"),
    CONVENE_TOKEN: undefined,
    ...env,
  });
}

const stackTrace = /^\s+at /m;

// Each command is a real process, a dozen at once: on two busy cores a test of three commands can
// take longer than the default 30 s.
describe.concurrent("convene CLI", { timeout: 90_000 }, () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "convene-cli-"));
    bundle = await buildConveneBundle(dir);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function eventFile(name: string, content: unknown) {
    const file = join(dir, name);
    await writeFile(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
    return file;
  }

  it("is an executable shim", async () => {
    expect((await stat(shim)).mode & 0o111).not.toBe(0);
  });

  it("creates an event named after its file, updates it with --id, and prints it back with the token file", async () => {
    const id = uniqueId("cli");
    const event = sampleEvent();
    const created = await convene(["events", "put", await eventFile(`${id}.json`, event)]);
    const draft = await eventFile(`${id}-draft.json`, { ...event, title: { fr: "Titre", en: "New title" } });
    const updated = await convene(["events", "put", draft, "--id", id]);
    const dataDir = await mkdtemp(join(dir, "data-"));
    await writeFile(join(dataDir, "admin-token"), `${inject("adminToken")}\n`);
    const printed = await convene(["events", "get", id], {
      CONVENE_ADMIN_TOKEN: undefined,
      CONVENE_DATA_DIR: dataDir,
    });

    expect(created).toMatchObject({ code: 0, stdout: `Created event ${id}\n` });
    expect(updated).toMatchObject({ code: 0, stdout: `Updated event ${id}\n` });
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain('\n  "id"');
    expect(JSON.parse(printed.stdout)).toMatchObject({
      id,
      title: { en: "New title" },
      sessions: event.sessions,
    });
  });

  it("refuses to put back a file read before the event was saved again, unless --force", async () => {
    const id = uniqueId("cli-stale");
    await convene(["events", "put", await eventFile(`${id}.json`, sampleEvent())]);
    // Two organisers each save the event from `events get`; the first one's edit is put.
    const saved = JSON.parse((await convene(["events", "get", id])).stdout);
    const edited = (title: string) => ({ ...saved, title: { ...saved.title, en: title } });
    const first = await eventFile(`${id}.json`, edited("First edit"));
    await mkdir(join(dir, "second"), { recursive: true });
    const second = await eventFile(`second/${id}.json`, edited("Stale edit"));
    expect(await convene(["events", "put", first])).toMatchObject({ code: 0 });
    // The organiser's own file took the version it saved: edited and put again, it is not refused.
    const firstAgain = JSON.parse(await readFile(first, "utf8"));
    await writeFile(
      first,
      JSON.stringify({ ...firstAgain, title: { ...firstAgain.title, en: "First edit" } }),
    );
    expect(await convene(["events", "put", first])).toMatchObject({ code: 0 });

    const refused = await convene(["events", "put", second]);
    // Saved under a name that is not its id: which --id to add, and no copy under an id that cannot be one.
    const misnamed = await convene(["events", "put", await eventFile(`${id}_get.json`, saved)]);
    const afterRefusal = JSON.parse((await convene(["events", "get", id])).stdout);
    // The same file under a new id is a copy: no version of that event to match.
    const copied = await convene(["events", "put", second, "--id", `${id}-copy`]);
    const forced = await convene(["events", "put", second, "--force"]);
    const afterForce = JSON.parse((await convene(["events", "get", id])).stdout);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`The event "${id}" was saved by someone else`);
    expect(refused.stderr).toContain(`convene events get ${id}`);
    expect(refused.stderr).not.toMatch(stackTrace);
    expect(afterRefusal.title.en).toBe("First edit");
    expect(misnamed.code).toBe(1);
    expect(misnamed.stderr).toContain(`Add --id ${id} to update that event.`);
    expect(copied).toMatchObject({ code: 0, stdout: `Created event ${id}-copy\n` });
    expect(forced).toMatchObject({ code: 0, stdout: `Updated event ${id}\n` });
    expect(afterForce.title.en).toBe("Stale edit");
  });

  it("cancels a session only with --yes, with a message per language, and mails its registrant", async () => {
    const id = uniqueId("cli");
    await convene(["events", "put", await eventFile(`${id}.json`, sampleEvent())]);
    const person = registrant();
    await fetch(`${inject("api")}/events/${id}/registrations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(person),
    });
    await waitForMails(inject("outboxDir"), person.email);

    const unconfirmed = await convene(["events", "cancel", id, "--session", "fr"]);
    const cancelled = await convene([
      "events",
      "cancel",
      id,
      "--session",
      "fr",
      "--message",
      "fr=Reporté.",
      "--yes",
    ]);
    const [, cancellation] = await waitForMails(inject("outboxDir"), person.email, 2);
    const printed = JSON.parse((await convene(["events", "get", id])).stdout);

    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toContain("Add --yes");
    expect(cancelled).toMatchObject({
      code: 0,
      stdout: `Cancelled session "fr" of event "${id}"; its registrants are being told.\n`,
    });
    expect(cancellation?.parsed.text).toContain("Reporté.");
    expect(cancellation?.calendar).toContain("METHOD:CANCEL");
    expect(printed.sessions.map((session: { cancelledAt?: string }) => Boolean(session.cancelledAt))).toEqual(
      [true, false],
    );
  });

  it("imports an attendance report and prints who came and who was not registered", async () => {
    const id = uniqueId("cli-attendance");
    const headers = { "content-type": "application/json", authorization: `Bearer ${inject("adminToken")}` };
    await fetch(`${inject("api")}/admin/events/${id}`, {
      method: "PUT",
      headers,
      body: JSON.stringify(sampleEvent()),
    });
    const report = await eventFile(`${id}.csv`, "Email,Name,Minutes\nwalk.in@example.org,Walk In,42\n");

    const imported = await convene(["attendance", "import", report, "--event", id, "--session", "en"]);

    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain("Format: generic");
    expect(imported.stdout).toMatch(/walk\.in@example\.org\s+Walk In\s+42 min/);
  });

  it("creates a mailing draft, sends it until done, and shows its status", async () => {
    const id = uniqueId("cli-mailing");
    const headers = { "content-type": "application/json", authorization: `Bearer ${inject("adminToken")}` };
    await fetch(`${inject("api")}/admin/events/${id}`, {
      method: "PUT",
      headers,
      body: JSON.stringify(sampleEvent()),
    });
    const file = await eventFile(`${id}-mailing.json`, {
      name: "Announcement",
      subject: { en: "News" },
      body: { en: "Hello {{firstName}}" },
    });

    const created = await convene(["mailing", "create", file, "--event", id]);
    const mailingId = /Created draft ([\w-]+)/.exec(created.stdout)?.[1] as string;
    const sent = await convene(["mailing", "send", mailingId, "--event", id]);
    const status = await convene(["mailing", "status", mailingId, "--event", id]);

    expect(created.stdout).toContain("0 recipient(s)");
    expect(sent).toMatchObject({
      code: 0,
      stdout: "Announcement: sent, 0 sent, 0 skipped, 0 failed of 0 recipient(s)\n",
    });
    expect(status.stdout).toContain("Announcement: sent");
  });

  it("exports an event's registrations as CSV with a byte-order mark", async () => {
    const id = uniqueId("cli-export");
    const api = inject("api");
    const authorization = `Bearer ${inject("adminToken")}`;
    const json = { "content-type": "application/json", authorization };
    await fetch(`${api}/admin/events/${id}`, {
      method: "PUT",
      headers: json,
      body: JSON.stringify(sampleEvent()),
    });
    const registrant = {
      sessionId: "fr",
      email: `${id}@example.org`,
      firstName: "Hélène",
      lastName: "Dupré",
      organisation: "Ville de Gênes",
      organisationType: "local-government",
      country: "IT",
      consent: true,
    };
    await fetch(`${api}/events/${id}/registrations`, {
      method: "POST",
      headers: json,
      body: JSON.stringify(registrant),
    });
    const output = join(dir, `${id}.csv`);

    const exported = await convene(["registrations", "export", "--event", id, "--csv", "--output", output]);

    expect(exported.code).toBe(0);
    const csv = await readFile(output);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString("utf8")).toContain("Hélène");
  });

  it("prints each invalid field of the event on its own line, and exits with 1", async () => {
    const event = sampleEvent();
    const [first, second] = event.sessions as [Record<string, unknown>, Record<string, unknown>];
    const file = await eventFile(`${uniqueId("cli-invalid")}.json`, {
      ...event,
      sessions: [
        { ...first, startsAt: "next tuesday" },
        { ...second, timezone: "Mars/Olympus" },
      ],
    });

    const result = await convene(["events", "put", file]);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^ {2}sessions\.0\.startsAt: must be /m);
    expect(result.stderr).toMatch(/^ {2}sessions\.1\.timezone: must be /m);
    expect(result.stderr).not.toMatch(stackTrace);
  });

  it("says on which line a file is not valid JSON", async () => {
    const file = await eventFile("broken.json", '{\n  "title": { "fr": "Titre" }\n  "description": {}\n}');

    const result = await convene(["events", "put", file]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file} is not valid JSON (line 3, column 3): `);
    expect(result.stderr).not.toMatch(stackTrace);
  });

  it("says that a wrong token was refused, and where it came from", async () => {
    const result = await convene(["events", "get", "mc2cm-webinar-4"], {
      CONVENE_ADMIN_TOKEN: "wrong-token",
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("refused the token from CONVENE_ADMIN_TOKEN");
    expect(result.stderr).toContain(".convene/admin-token");
    expect(result.stderr).not.toMatch(stackTrace);
  });

  it("asks whether `npm start` is running when nothing listens at the API address", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;

    // Through the shim npm's `bin` runs (tsx), as `npx convene` does.
    const result = await convene(["events", "get", "mc2cm-webinar-4"], { CONVENE_API_URL: closed }, shim);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`Cannot reach the Convene API at ${closed}: is \`npm start\` running?\n`);
  });
  /** An event of its own for a test, created through the API as the console or a file would. */
  async function putEvent(prefix: string): Promise<string> {
    const id = uniqueId(prefix);
    await fetch(`${inject("api")}/admin/events/${id}`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${inject("adminToken")}` },
      body: JSON.stringify(sampleEvent()),
    });
    return id;
  }

  async function adminPost(path: string, body: unknown, contentType = "application/json") {
    const response = await fetch(`${inject("api")}${path}`, {
      method: "POST",
      headers: { "content-type": contentType, authorization: `Bearer ${inject("adminToken")}` },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return response.json() as Promise<Record<string, unknown>>;
  }

  it("prints the statistics of an event per session, with attendance once a report is imported", async () => {
    const id = await putEvent("cli-stats");
    const person = registrant();
    await fetch(`${inject("api")}/events/${id}/registrations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(person),
    });
    await adminPost(
      `/admin/events/${id}/sessions/fr/attendance`,
      `Email,Minutes\n${person.email},42\n`,
      "text/csv",
    );

    const result = await convene(["stats", "--event", id]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Session\s+Registered\s+Confirmed\s+Waitlisted\s+Cancelled\s+Erased\s+Attended\s+Absent\s+Rate$/m,
    );
    expect(result.stdout).toMatch(/^fr\s+1\s+1\s+0\s+0\s+0\s+1\s+0\s+100\.0%$/m);
    expect(result.stdout).toMatch(/^en\s+0\s+0\s+0\s+0\s+0\s+-\s+-\s+-$/m);
    expect(result.stdout).toMatch(/^Organisation type\s+Not cancelled\s+Attended$/m);
    expect(result.stdout).toMatch(/^local-government\s+1\s+1$/m);
  });

  it("previews a mailing in a language, sends a test copy, and lists the event's mailings", async () => {
    const id = await putEvent("cli-preview");
    const { mailingId } = await adminPost(`/admin/events/${id}/mailings`, {
      name: "Replay",
      subject: { fr: "Le replay", en: "The recording" },
      body: {
        fr: "Bonjour {{firstName}}, voici le replay.",
        en: "Hello {{firstName}}, here is the recording.",
      },
    });
    const html = join(dir, `${id}.html`);
    const organiser = `${uniqueId("organiser")}@example.org`;

    const preview = await convene([
      "mailing",
      "preview",
      String(mailingId),
      "--event",
      id,
      "--lang",
      "fr",
      "--html",
      html,
    ]);
    const test = await convene([
      "mailing",
      "test",
      String(mailingId),
      "--event",
      id,
      "--to",
      organiser,
      "--lang",
      "fr",
    ]);
    const list = await convene(["mailing", "list", "--event", id]);

    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain("Subject: Le replay");
    expect(preview.stdout).toContain("voici le replay");
    expect(await readFile(html, "utf8")).toContain("voici le replay");
    expect(test).toMatchObject({ code: 0, stdout: `Sent a test copy (fr) to ${organiser}.\n` });
    const [copy] = await waitForMails(inject("outboxDir"), organiser);
    expect(copy?.parsed.subject).toContain("Le replay");
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${mailingId}\\s+Replay\\s+draft\\s+0\\s+0\\s+0\\s+0\\s`, "m"));
  });

  it("calls the local runtime whose token it reads, or the one on CONVENE_PORT", async () => {
    const dataDir = await mkdtemp(join(dir, "stack-"));
    await writeFile(join(dataDir, "admin-token"), `${inject("adminToken")}\n`);
    await writeFile(join(dataDir, "api-url"), `${inject("api")}\n`);
    const port = new URL(inject("api")).port;

    const byDataDir = await convene(["events", "get", "mc2cm-webinar-4"], {
      CONVENE_API_URL: undefined,
      CONVENE_ADMIN_TOKEN: undefined,
      CONVENE_DATA_DIR: dataDir,
    });
    const byPort = await convene(["events", "get", "mc2cm-webinar-4"], {
      CONVENE_API_URL: undefined,
      CONVENE_PORT: port,
    });

    expect(byDataDir.code).toBe(0);
    expect(JSON.parse(byDataDir.stdout)).toMatchObject({ id: "mc2cm-webinar-4" });
    expect(byPort.code).toBe(0);
    expect(JSON.parse(byPort.stdout)).toMatchObject({ id: "mc2cm-webinar-4" });
  });
});
