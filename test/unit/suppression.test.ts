import { describe, expect, it } from "vitest";
import { simulatedFeedback } from "../../infra/local/mailbox-simulator.ts";
import { feedbackSuppressions } from "../../shared/suppression/feedback.ts";
import { type Suppression, stopsMail } from "../../shared/suppression/suppression.ts";
import { formatUnsubscribeToken, parseUnsubscribeToken } from "../../shared/suppression/unsubscribe-token.ts";

const mac = "q9Jx0uLkRZ3m7dE2b8v1yTnWcHfA5sKoPgVtXe4iU6M";

describe("unsubscribe token", () => {
  it("carries the address and its MAC, and gives both back", () => {
    for (const email of ["amina@example.org", "jean-luc+webinars@ville-de-tunis.tn", "élodie@exemple.fr"]) {
      const token = formatUnsubscribeToken(email, mac);

      expect(token).toMatch(/^[\w-]+\.[\w-]+$/);
      expect(parseUnsubscribeToken(token)).toEqual({ email, mac });
    }
  });

  it("is not read when it is no token, or its address part is altered out of shape", () => {
    const token = formatUnsubscribeToken("amina@example.org", mac);
    const [address] = token.split(".");

    for (const bad of [
      "",
      mac,
      `${address}.`,
      `.${mac}`,
      `${token}.extra`,
      `${address}=.${mac}`,
      `${address}!.${mac}`,
      `${Buffer.from("no-at-sign").toString("base64url")}.${mac}`,
      `${Buffer.from("a b@example.org").toString("base64url")}.${mac}`,
    ]) {
      expect(parseUnsubscribeToken(bad), bad).toBeUndefined();
    }
  });

  it("refuses a second spelling of the same address bytes, so one address has one token", () => {
    const address = Buffer.from("ab@example.org").toString("base64url"); // ends in a partial group
    const lastIndex = address.length - 1;
    const sameBytes = `${address.slice(0, lastIndex)}${String.fromCharCode(address.charCodeAt(lastIndex) + 1)}`;

    expect(Buffer.from(sameBytes, "base64url").toString()).toBe("ab@example.org");
    expect(parseUnsubscribeToken(`${sameBytes}.${mac}`)).toBeUndefined();
  });
});

describe("SES feedback", () => {
  const mail = { messageId: "0100018f-4a1b-4c2d-9e3f-abcdef012345-000000", source: "webinars@example.org" };
  const bounce = (bounceType: string, ...emails: string[]) => ({
    eventType: "Bounce",
    bounce: {
      bounceType,
      bounceSubType: "General",
      bouncedRecipients: emails.map((emailAddress) => ({ emailAddress, status: "5.1.1" })),
      timestamp: "2027-03-04T10:00:00.000Z",
    },
    mail,
  });

  it("suppresses every recipient of a permanent bounce, addresses normalized", () => {
    const suppressions = feedbackSuppressions(
      "Email Bounced",
      bounce("Permanent", " Amina@Example.org", "b@x.org"),
    );

    expect(suppressions).toEqual([
      { email: "amina@example.org", reason: "bounced", detail: expect.stringContaining(mail.messageId) },
      { email: "b@x.org", reason: "bounced", detail: expect.stringContaining("Permanent/General") },
    ]);
  });

  it("suppresses nobody for a transient or undetermined bounce", () => {
    expect(feedbackSuppressions("Email Bounced", bounce("Transient", "full@example.org"))).toEqual([]);
    expect(feedbackSuppressions("Email Bounced", bounce("Undetermined", "who@example.org"))).toEqual([]);
  });

  it("suppresses complaining recipients, except when the provider reports the mail as not spam", () => {
    const complaint = (complaintFeedbackType?: string) => ({
      eventType: "Complaint",
      complaint: { complainedRecipients: [{ emailAddress: "c@example.org" }], complaintFeedbackType },
      mail,
    });

    expect(feedbackSuppressions("Email Complaint Received", complaint("abuse"))).toEqual([
      { email: "c@example.org", reason: "complained", detail: expect.stringContaining("abuse") },
    ]);
    expect(feedbackSuppressions("Email Complaint Received", complaint())).toHaveLength(1);
    expect(feedbackSuppressions("Email Complaint Received", complaint("not-spam"))).toEqual([]);
  });

  it("refuses a detail that is not the shape of its detail-type, and other detail-types", () => {
    expect(() => feedbackSuppressions("Email Bounced", { eventType: "Bounce", mail })).toThrow();
    expect(() => feedbackSuppressions("Email Complaint Received", bounce("Permanent", "a@b.org"))).toThrow();
    expect(() => feedbackSuppressions("Email Delivered", { eventType: "Delivery", mail })).toThrow();
  });

  it("reads the events the local SES makes for the mailbox simulator as SES's own", () => {
    const sent = (to: string, configurationSet?: string) => ({
      messageId: "m-1",
      source: "webinars@convene.local",
      destinations: [to],
      raw: Buffer.alloc(0),
      file: "/tmp/m-1.eml",
      ...(configurationSet && { configurationSet }),
    });
    const suppressed = (to: string) =>
      simulatedFeedback(sent(to, "convene-local")).flatMap((entry) =>
        feedbackSuppressions(entry.DetailType ?? "", JSON.parse(entry.Detail ?? "{}")),
      );

    expect(simulatedFeedback(sent("bounce@simulator.amazonses.com", "set"))[0]).toMatchObject({
      EventBusName: "default",
      Source: "aws.ses",
      DetailType: "Email Bounced",
    });
    expect(suppressed("bounce+t1@simulator.amazonses.com")).toEqual([
      expect.objectContaining({ email: "bounce+t1@simulator.amazonses.com", reason: "bounced" }),
    ]);
    expect(suppressed("complaint@simulator.amazonses.com")).toEqual([
      expect.objectContaining({ reason: "complained" }),
    ]);
    expect(suppressed("success@simulator.amazonses.com")).toEqual([]);
    expect(simulatedFeedback(sent("bounce@simulator.amazonses.com"))).toEqual([]);
  });
});

describe("suppression", () => {
  const at = "2027-03-04T10:00:00.000Z";
  const of = (reason: Suppression["reason"]): Suppression => ({ reason, at });

  it("stops mailings for an unsubscribed address but not the mails of its registrations", () => {
    expect(stopsMail(of("unsubscribed"), "mailing")).toBe(true);
    expect(stopsMail(of("unsubscribed"), "registrant")).toBe(false);
  });

  it("stops every mail to an address that bounced or complained", () => {
    for (const reason of ["bounced", "complained"] as const) {
      expect(stopsMail(of(reason), "mailing")).toBe(true);
      expect(stopsMail(of(reason), "registrant")).toBe(true);
    }
  });

  it("stops nothing for an address that is not suppressed", () => {
    expect(stopsMail(undefined, "mailing")).toBe(false);
    expect(stopsMail(null, "registrant")).toBe(false);
  });
});
