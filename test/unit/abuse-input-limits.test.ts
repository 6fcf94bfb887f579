import { describe, expect, it } from "vitest";
import { eventInputSchema } from "../../shared/domain/event.ts";
import { registrationInputSchema } from "../../shared/domain/registration.ts";
import { composeMessage } from "../../shared/mail/compose.ts";
import { mailingInputSchema } from "../../shared/mailings/content/mailing-input.ts";
import { registrant, sampleEvent } from "../support/sample-event.ts";

/** Every control character (Unicode Cc) and the two separators, each of which once got through. */
const controls = [
  ...Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)),
  ...Array.from({ length: 0x21 }, (_, offset) => String.fromCharCode(0x7f + offset)),
  "\u2028",
  "\u2029",
];

const issuesOf = (result: { error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`) ?? [];

describe("one-line fields", () => {
  it("refuse every control character and U+2028/U+2029 in a registrant's names, each naming the field", () => {
    for (const field of ["firstName", "lastName", "organisation", "jobTitle", "department", "city"]) {
      for (const control of controls) {
        const result = registrationInputSchema.safeParse(registrant({ [field]: `Ami${control}na` }));
        expect(issuesOf(result), `${field} with U+${control.charCodeAt(0).toString(16)}`).toHaveLength(1);
        expect(issuesOf(result)[0]).toMatch(
          new RegExp(`^${field}: must (be on one line|not contain control)`),
        );
      }
    }
  });

  it("still take letters of every script, spaces inside and around (trimmed)", () => {
    const result = registrationInputSchema.parse(
      registrant({ firstName: "  Zoë Ἀλέξανδρος 李 ", lastName: "N'Diaye-Bâ" }),
    );

    expect(result.firstName).toBe("Zoë Ἀλέξανδρος 李");
    expect(result.lastName).toBe("N'Diaye-Bâ");
  });

  it("refuse control characters in a mailing's subject and an event organiser's name", () => {
    const mailing = {
      name: "Thanks",
      segment: {},
      subject: { en: "The recording" },
      body: { en: "Hello" },
    };
    for (const control of ["\r\n", "\u0000", "\u000b", "\u0085", "\u2028"]) {
      expect(
        mailingInputSchema.safeParse({ ...mailing, subject: { en: `Re${control}cording` } }).success,
      ).toBe(false);
      const event = sampleEvent();
      const organiser = { ...event.organiser, name: `UCLG${control}Bcc: victim@example.org` };
      expect(issuesOf(eventInputSchema.safeParse({ ...event, organiser }))).toEqual([
        expect.stringMatching(/^organiser\.name: must/),
      ]);
    }
  });
});

const headerLines = async (subject: string, replyToName = "UCLG and UNICEF") => {
  const message = await composeMessage({
    from: "webinars@example.org",
    to: "amina@example.org",
    replyTo: { name: replyToName, address: "organisers@example.org" },
    subject,
    text: "Hello",
    html: "<p>Hello</p>",
  });
  const head = message.toString("utf8").split("\r\n\r\n")[0] as string;
  return head.split("\r\n");
};

describe("mail headers built from event fields", () => {
  it("keep every line of the head within RFC 5322's 998 octets, whatever the title", async () => {
    for (const title of [
      "x".repeat(5_000),
      "word ".repeat(1_000),
      "é".repeat(5_000),
      `${"x".repeat(997)} é`,
    ]) {
      const lines = await headerLines(`Registration confirmed: ${title}`, title);

      for (const line of lines) expect(Buffer.byteLength(line), line.slice(0, 60)).toBeLessThanOrEqual(998);
      // A long subject is cut, visibly, rather than dropped or passed whole.
      const subject = lines.slice(lines.findIndex((line) => line.startsWith("Subject:")));
      expect(subject.join("").length).toBeLessThan(2_000);
    }
  });

  it("keep a short subject as it is", async () => {
    expect(await headerLines("Registration confirmed: Test webinar")).toContain(
      "Subject: Registration confirmed: Test webinar",
    );
  });
});
