import { describe, expect, inject, it } from "vitest";
import { demoEvent } from "../../infra/local/demo-event.ts";
import { type OutboxMail, waitForMails } from "../support/outbox.ts";
import { registrant, uniqueId } from "../support/sample-event.ts";
import { apiClient } from "./api-client.ts";

const { request } = apiClient();
const outbox = inject("outboxDir");

/** The demo event under a fresh id: its texts are in French, English and Arabic, its sessions in French and English. */
async function createEvent() {
  const id = uniqueId("ar");
  const event = demoEvent(new Date());
  const response = await request("PUT", `/admin/events/${id}`, { body: event, admin: true });
  expect(response.status).toBe(201);
  return { id, event };
}

/** An invite's property, its folded lines (RFC 5545 folds at 75 octets, mid-word in Arabic) joined again. */
const icsField = (mail: OutboxMail, field: string) =>
  new RegExp(`^${field}[;:](.*)$`, "m").exec((mail.calendar ?? "").replace(/\r?\n[ \t]/g, ""))?.[1]?.trim();

describe("Arabic, right to left", () => {
  it("serves the form in Arabic, right to left, for ?lang=ar and for an Arabic browser", async () => {
    const { id, event } = await createEvent();

    const byQuery = await request("GET", `/events/${id}/register?lang=ar`);
    const byBrowser = await request("GET", `/events/${id}/register`, {
      headers: { "accept-language": "ar-TN,ar;q=0.9,fr;q=0.8" },
    });

    expect(byQuery.status).toBe(200);
    for (const page of [byQuery.text, byBrowser.text]) {
      expect(page).toContain('<html lang="ar" dir="rtl">');
      expect(page).toContain(event.title.ar);
    }
    // The event's own question, and the form's words, in Arabic.
    expect(byQuery.text).toContain("أسئلتك لجلسة الأسئلة والأجوبة");
    expect(byQuery.text).toContain("سجّلني");
    // The session is still spoken in French: its language is named, in Arabic.
    expect(byQuery.text).toContain("اللغة: الفرنسية");
  });

  it("answers a form post in Arabic with Arabic errors, then an Arabic thank-you page", async () => {
    const { id } = await createEvent();
    const fields = {
      sessionId: "fr",
      email: `${uniqueId("ar")}@example.org`,
      firstName: "أمينة",
      lastName: "بن علي",
      organisation: "بلدية تونس",
      organisationType: "local-government",
      country: "TN",
      language: "ar",
      consent: "on",
    };
    const post = (body: Record<string, string>) =>
      request("POST", `/events/${id}/registrations?lang=ar`, {
        rawBody: new URLSearchParams(body).toString(),
        contentType: "application/x-www-form-urlencoded",
      });

    const form = await request("GET", `/events/${id}/register?lang=ar`);
    const stamp = /name="formStartedAt" value="([^"]+)"/.exec(form.text)?.[1] ?? "";
    const atOnce = await post({ ...fields, formStartedAt: stamp });
    const invalid = await post({ ...fields, email: "ليس-بريدًا" });
    const valid = await post(fields);

    // Sent within seconds of loading the form: refused by the anti-script trap, in Arabic too.
    expect(atOnce.status).toBe(400);
    expect(atOnce.text).toContain("أُرسلت الاستمارة بسرعة كبيرة بعد فتحها");
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('<html lang="ar" dir="rtl">');
    expect(invalid.text).toContain("أدخل عنوان بريد إلكتروني مثل name@example.org.");
    expect(valid.status).toBe(201);
    expect(valid.text).toContain('<html lang="ar" dir="rtl">');
    expect(valid.text).toContain("تم تسجيلك");
  });

  it("mails a registrant who chose Arabic in Arabic, right to left, with an Arabic invite, whatever the session's language", async () => {
    const { id, event } = await createEvent();
    const person = registrant({ sessionId: "fr", language: "ar" });

    const response = await request("POST", `/events/${id}/registrations`, { body: person });
    const [mail] = (await waitForMails(outbox, person.email)) as [OutboxMail];

    expect(response.status).toBe(201);
    expect(mail.parsed.subject).toBe(`تأكيد التسجيل: ${event.title.ar}`);
    expect(mail.parsed.text).toContain("مرحبًا Amina،");
    expect(mail.parsed.text).toContain("تم تأكيد تسجيلك.");
    // The date in Arabic words with Latin digits (read across the Maghreb and the Mashriq), and the duration.
    const day = new Date(String(event.sessions[0]?.startsAt)).getUTCDate();
    expect(mail.parsed.text).toMatch(
      new RegExp(
        `\\b${day} (يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر) \\d{4}`,
      ),
    );
    expect(mail.parsed.text).toContain("ساعة و30 دقيقة");
    expect(mail.parsed.html).toContain('<html lang="ar" dir="rtl">');
    expect(mail.parsed.html).toContain('<div dir="rtl"');
    expect(icsField(mail, "SUMMARY")).toBe(event.title.ar);
    expect(icsField(mail, "DESCRIPTION")).toContain("حوار بين السلطات المحلية");
  });
});
