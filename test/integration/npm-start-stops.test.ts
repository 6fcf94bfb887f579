import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { npmStartSession } from "../support/npm-start.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { waitUntil } from "../support/wait.ts";

/**
 * `npm start` stopped in the middle of its work, a real process on one data dir of this file's own
 * (beside `npm-start.test.ts`'s, so that the two files' starts run side by side), in order: SIGTERM
 * in the middle of a mailing and a start again, then `kill -9` in the middle of a reminder and a
 * start again; each time the work finishes by itself, everyone mailed once.
 */
describe("npm start, stopped and started again", () => {
  const stack = npmStartSession("stops");
  const { call, mailsAbout, draftMailing, outboxSize } = stack;
  beforeAll(async () => {
    await stack.start();
  }, 120_000);
  /** The registrant the second start dies for: right after SES took their reminder. */
  const reminderVictim = registrant();

  it("stops everything on SIGTERM in the middle of a mailing, DynamoDB Local included, exits with 0, and the mailing is complete after the next start: nobody missing or twice, no dead letter", {
    // A stop and a start of npm start: on a loaded machine, a start alone can take a minute.
    timeout: 180_000,
  }, async () => {
    const id = uniqueId("sigterm");
    await call("PUT", `/admin/events/${id}`, sampleEvent());
    // Whether the stop's five seconds for the steps in flight finish the mailing or leave it to the
    // next start (the kill tests prove that resuming), nobody is missing or twice, and no step
    // fails against a service stopped under it (a dead letter).
    const people = Array.from({ length: 20 }, () => registrant());
    const before = await outboxSize();
    for (const person of people) await call("POST", `/events/${id}/registrations`, person);
    const mailingId = await draftMailing(id, "Stopped", { fr: "Après l'arrêt", en: "After the stop" });
    const mailingMails = (person: { email: string }) => mailsAbout(person, /arrêt|stop/);
    await waitUntil("everyone's confirmation", outboxSize, (size) => size >= before + people.length);
    const confirmed = await outboxSize();
    await call("POST", `/admin/events/${id}/mailings/${mailingId}/send`);
    await waitUntil("the mailing's first mails", outboxSize, (size) => size >= confirmed + 3);

    const group = stack.current.child.pid;
    if (!group) throw new Error("npm start has no process id");
    const code = await stack.current.stop(25_000);
    // Nothing of it is left running: its process group, DynamoDB Local's Java included (a look at
    // the port could meet another test's DynamoDB Local that drew it since).
    expect(runningInGroup(group)).toEqual([]);
    // The next start dies in the middle of a reminder, in the next test.
    await stack.start({
      CONVENE_TEST_CRASH_AFTER_SEND: `${reminderVictim.email}#2`,
      CONVENE_LOCAL_SCHEDULE_SECONDS: "1",
    });
    const sent = await waitUntil(
      "the mailing to finish",
      async () => (await call("GET", `/admin/events/${id}/mailings/${mailingId}`)).json,
      (view) => view.status === "sent",
      60_000,
    );
    const counts = await Promise.all(people.map(async (person) => (await mailingMails(person)).length));
    const deadLetters = await readdir(join(stack.dataDir, "dead-letters")).catch(() => []);

    expect(code).toBe(0);
    expect(counts).toEqual(people.map(() => 1));
    expect(sent.sent).toBe(people.length);
    expect(deadLetters).toEqual([]);
  });

  it("finishes a reminder after kill -9 in the middle of it and a start again: every confirmed registrant reminded once", {
    // A start of npm start after the kill: on a loaded machine, it alone can take a minute.
    timeout: 180_000,
  }, async () => {
    const id = uniqueId("reminder-crash");
    const event = { ...sampleEvent(), reminders: [] };
    await call("PUT", `/admin/events/${id}`, event);
    const people = [...Array.from({ length: 29 }, () => registrant()), reminderVictim];
    const before = await outboxSize();
    for (const person of people)
      expect((await call("POST", `/events/${id}/registrations`, person)).status).toBe(201);
    await waitUntil("everyone's confirmation", outboxSize, (size) => size >= before + people.length);
    // Everyone registered and confirmed, however long that took on a busy machine: now the event
    // asks for a reminder that falls due 5 s later (its sessions unchanged, so nobody is told of a
    // change), and the schedule ticks every second.
    const died = once(stack.current.child, "exit");
    const secondsToStart = Math.floor((Date.parse(event.sessions[0].startsAt) - Date.now()) / 1000);
    await call("PUT", `/admin/events/${id}`, { ...event, reminders: [`PT${secondsToStart - 5}S`] });
    const reminders = (person: { email: string }) => mailsAbout(person, /^(Reminder|Rappel)\b/);
    // The process group dies by itself right after SES took the victim's reminder.
    const [, signal] = await died;
    const victimsReminders = await reminders(reminderVictim);

    await stack.start();
    const row = await waitUntil(
      "the reminder to be sent",
      async () =>
        (
          (await call("GET", `/admin/events/${id}/reminders`)).json.reminders as Record<string, unknown>[]
        ).find((reminder) => reminder.sessionId === "fr"),
      (reminder) => reminder?.status === "sent" && reminder.sent === people.length,
      60_000,
    );
    const counts = await Promise.all(people.map(async (person) => (await reminders(person)).length));

    expect(signal).toBe("SIGKILL");
    expect(victimsReminders).toHaveLength(1);
    expect(counts).toEqual(people.map(() => 1));
    expect(row).toMatchObject({ status: "sent", sent: people.length });
  });
});

/** The processes of a process group still running (not the zombies their new parent has yet to reap). */
function runningInGroup(group: number): string[] {
  return execFileSync("ps", ["-A", "-o", "pid=,pgid=,stat=,comm="], { encoding: "utf8" })
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([, pgid, stat]) => Number(pgid) === group && !stat?.startsWith("Z"))
    .map((columns) => columns.join(" "));
}
