import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { keys } from "../../shared/aws/table.ts";
import { type EventView, npmStartSession } from "../support/npm-start.ts";
import { mailsTo } from "../support/outbox.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { waitUntil } from "../support/wait.ts";

/**
 * `npm start` as a newcomer runs it, a real process, on one data dir through the steps of this
 * file, in order: its printed URLs and token, `kill -9` of the whole group in the middle of a
 * mailing and a start again (the mailing finishes by itself, everyone mailed once; data and token
 * kept), and its bus refusing `PutEvents` for a while. SIGTERM and a reminder's crash are
 * `npm-start-stops.test.ts`, on starts of their own that run beside these.
 */
describe("npm start, a real process", () => {
  const stack = npmStartSession("start");
  const { call, getEvent, mailsAbout, draftMailing, outboxSize, outbox } = stack;
  /**
   * The registrant the first start dies for (`CONVENE_TEST_CRASH_AFTER_SEND`): right after SES took
   * their second mail (the confirmation, then the mailing's), before the sender recorded it.
   */
  const victim = registrant();

  it("prints the form, console and sign-in links with a token of its own, and serves the demo event and the outbox", {
    timeout: 90_000,
  }, async () => {
    const output = (await stack.start({ CONVENE_TEST_CRASH_AFTER_SEND: `${victim.email}#2` })).output();
    const { api, adminToken, ports } = stack;

    const event = (await (await fetch(`${api}/events/mc2cm-webinar-4`)).json()) as EventView;
    const adminView = await getEvent("/admin/events/mc2cm-webinar-4");
    const outboxPage = await fetch(`http://127.0.0.1:${ports.ses}/`);
    const consolePage = await fetch(`${api}/console/events/mc2cm-webinar-4`);

    expect(adminToken).toMatch(/^\S{16,}$/);
    expect(output).toContain(`${api}/events/mc2cm-webinar-4/register`);
    expect(output).toContain(`Sign in directly   ${api}/console/#token=${adminToken}`);
    expect(consolePage.headers.get("content-type")).toContain("text/html");
    expect(await consolePage.text()).toContain('<div id="root">');
    expect(event.sessions.map((session) => session.id)).toEqual(["fr", "en"]);
    expect(JSON.stringify(event)).not.toContain("joinUrl");
    expect(outboxPage.status).toBe(200);
    expect(adminView.sessions[0]?.joinUrl).toMatch(/^https:/);
  });

  it("finishes a mailing and the confirmations in flight after kill -9 of the whole process group and a start again: nobody missing, nobody twice (not even the mail SES took right before the kill), data and token kept", {
    // Two starts of npm start: on a loaded machine, a start alone can take a minute.
    timeout: 180_000,
  }, async () => {
    const demoBefore = await getEvent("/admin/events/mc2cm-webinar-4");
    const id = uniqueId("crash");
    await call("PUT", `/admin/events/${id}`, sampleEvent());
    const people = [...Array.from({ length: 29 }, () => registrant()), victim];
    let victimId = "";
    for (const person of people) {
      const registered = await call("POST", `/events/${id}/registrations`, person);
      expect(registered.status).toBe(201);
      if (person === victim) victimId = String(registered.json.registrationId);
    }
    const mailingId = await draftMailing(id, "Crash", { fr: "Après la panne", en: "After the crash" });
    const mailingMails = (person: { email: string }) => mailsAbout(person, /panne|crash/);
    // Every confirmation out first, so that the victim's second mail is the mailing's.
    await waitUntil("the confirmations", outboxSize, (size) => size >= people.length);
    // Ten more registrations whose confirmations are still going out, beside the mailing's mails,
    // when the process dies: each 201 must get exactly one confirmation all the same.
    const late = Array.from({ length: 10 }, () => registrant());
    for (const person of late)
      expect((await call("POST", `/events/${id}/registrations`, person)).status).toBe(201);
    const died = once(stack.current.child, "exit");
    expect((await call("POST", `/admin/events/${id}/mailings/${mailingId}/send`)).status).toBe(202);
    // The process group dies by itself (the test switch), inside the window: SES took the mail,
    // its event is kept by the local SES for the next start, its delivery record says `sending`.
    const [exitCode, signal] = await died;
    const victimsMails = await mailingMails(victim);

    const output = (await stack.start()).output();
    const sent = await waitUntil(
      "the mailing to finish",
      async () => (await call("GET", `/admin/events/${id}/mailings/${mailingId}`)).json,
      (view) => view.status === "sent",
      60_000,
    );

    const everyone = [...people, ...late];
    const counts = await Promise.all(everyone.map(async (person) => (await mailingMails(person)).length));
    const confirmationsOf = async (person: { email: string }) =>
      (await mailsAbout(person, /panne|crash/, false)).length;
    const lateConfirmations = await waitUntil(
      "the late registrants' confirmations",
      () => Promise.all(late.map(confirmationsOf)),
      (found) => found.every((count) => count >= 1),
    );
    expect([exitCode, signal]).toEqual([null, "SIGKILL"]);
    expect(victimsMails).toHaveLength(1);
    // Nobody missing, nobody twice: the victim's mail (and any other in flight) was recorded by
    // SES's send event, so the resumed mailing did not send it again.
    expect(counts).toEqual(everyone.map(() => 1));
    expect(lateConfirmations).toEqual(late.map(() => 1));
    expect(sent.sent).toBe(40);
    const record = await stack.deliveryRecord(keys.mailingDelivery(mailingId, victimId));
    expect(record).toMatchObject({ state: "sent" });
    expect(victimsMails[0]?.file).toContain(String(record?.messageId));
    expect(output).toContain(`Admin token        ${stack.adminToken}`);
    // The demo event is seeded once, not again on each start.
    expect((await getEvent("/admin/events/mc2cm-webinar-4")).createdAt).toBe(demoBefore.createdAt);
  });

  it("registers while the bus refuses PutEvents, and confirms everyone once it accepts again", {
    timeout: 90_000,
  }, async () => {
    const refuse = (on: boolean) =>
      fetch(`http://127.0.0.1:${stack.ports.bus}/_local/refuse-put-events?refuse=${on ? 1 : 0}`, {
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
