import * as z from "zod";
import { agendaIssues, agendaSchema } from "./agenda.ts";
import { brandingLanguageIssues, brandingSchema } from "./branding.ts";
import { built } from "./built.ts";
import { parseDurationMs } from "./duration.ts";
import { type Language, languageSchema, localizedTextSchema, pickText } from "./languages.ts";
import { localizedNameSchema, missingLanguages, requiredLineSchema } from "./localized-line.ts";
import type { NoticeFacts } from "./privacy-notice.ts";
import { eventLanguages, formSettingsSchema, missingLanguageIssues } from "./registration-form.ts";

/** Ids of events and sessions appear in URLs and table keys, so they are kept to URL-safe slugs. */
export const slugSchema = /* @__PURE__ */ built(() =>
  z.string().regex(/^[a-z0-9-]{2,64}$/, "use 2 to 64 characters: lowercase letters, digits and hyphens"),
);

const timezoneSchema = /* @__PURE__ */ built(() =>
  z.string().refine((zone) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, "must be an IANA time zone such as Europe/Paris"),
);

const yearMs = 365 * 24 * 60 * 60 * 1000;

const reminderOffsetSchema = /* @__PURE__ */ built(() =>
  z
    .string()
    .refine((text) => parseDurationMs(text) !== undefined, "must be an ISO 8601 duration such as P7D or PT1H")
    .refine((text) => (parseDurationMs(text) ?? 0) <= yearMs, "must be at most a year (P365D)"),
);

/** Offsets that spell the same duration (`P1D`, `PT24H`, `PT1440M`) would be two reminders of one. */
function sameOffsetIssue(offsets: readonly string[]): string | undefined {
  const seen = new Map<number | undefined, string>();
  for (const offset of offsets) {
    const duration = parseDurationMs(offset);
    const earlier = seen.get(duration);
    if (earlier !== undefined) {
      return earlier === offset
        ? `list each offset once (${offset} is twice)`
        : `${earlier} and ${offset} are the same offset: list it once`;
    }
    seen.set(duration, offset);
  }
  return undefined;
}

export const sessionSchema = /* @__PURE__ */ built(() =>
  z.object({
    id: slugSchema,
    language: languageSchema,
    startsAt: z.iso.datetime({
      offset: true,
      error: "must be an ISO 8601 date-time such as 2027-03-04T09:00:00Z",
    }),
    durationMinutes: z
      .int()
      .min(1)
      .max(24 * 60),
    timezone: timezoneSchema,
    joinUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
    capacity: z.int().min(1).optional(),
    /**
     * When the session was cancelled (`POST /admin/events/{eventId}/sessions/{sessionId}/cancel`).
     * Set by that route only: a PUT keeps what is stored, whatever its body says. A cancelled session
     * stays in the event (export, stats) and takes no registrations.
     */
    cancelledAt: z.iso.datetime({ offset: true }).optional(),
    /** What happens in the session, part by part (shown on the event page, the form and the confirmation). */
    agenda: agendaSchema.optional(),
  }),
);
export type Session = z.infer<typeof sessionSchema>;

/** A name that appears in mail headers (From, Reply-To) and notices: one line, no control character. */
const requiredName = /* @__PURE__ */ built(() => requiredLineSchema(200));

/** The body of `PUT /admin/events/{eventId}`: everything an organiser sets about an event. */
export const eventInputSchema = /* @__PURE__ */ built(() =>
  z
    .object({
      title: localizedTextSchema,
      /** Markdown, as the mailings: paragraphs, lists, links. */
      description: localizedTextSchema,
      /**
       * The description rendered as the pages show it (its first paragraph, then the rest), set by
       * the server each time the event is saved (`putEvent`): whatever a client sends is replaced.
       * Absent from events saved before it existed, which the pages show as plain paragraphs.
       */
      descriptionHtml: z
        .partialRecord(languageSchema, z.object({ lead: z.string(), rest: z.string().optional() }))
        .optional(),
      /**
       * The description as plain text, for calendars (invites and the pages' calendar links), set
       * by the server at each save as `descriptionHtml` is (`renderDescriptionText`).
       */
      descriptionText: z.partialRecord(languageSchema, z.string()).optional(),
      /**
       * The name per language ("CGLU, UNICEF…" on French pages, "UCLG, UNICEF…" on English ones); a
       * plain string, as before, is the same name in every language. It is the Reply-To's display
       * name, in the mail's language: one line, no control character.
       */
      organiser: z.object({
        name: localizedNameSchema(200),
        email: z.email(),
      }),
      /** Logos, accent colour and banner of the registrants' pages and mails; neutral when absent. */
      branding: brandingSchema.optional(),
      /**
       * Who is responsible for registrants' data (the GDPR controllers) and where they write about
       * it, for the event's privacy notice. Both default to the organiser.
       */
      privacy: z
        .object({
          controllers: z
            .array(z.object({ name: requiredName, email: z.email() }))
            .min(1)
            .max(5)
            .optional(),
          contact: z.email().optional(),
        })
        .optional(),
      sessions: z.array(sessionSchema).min(1).max(20),
      reminders: z
        .array(reminderOffsetSchema)
        .max(10)
        .superRefine((offsets, context) => {
          const message = sameOffsetIssue(offsets);
          if (message) context.addIssue({ code: "custom", message });
        })
        .default(["P7D", "P1D", "PT1H"]),
      /** Minutes someone must have stayed to count as having attended (after an attendance import). */
      attendanceMinMinutes: z
        .number()
        .min(0)
        .max(24 * 60)
        .default(5),
      /** The registration form: standard fields asked, the event's own questions, intro and examples. */
      form: formSettingsSchema.optional(),
      /** When registration opens and closes; outside, the form says so and a POST answers 409. */
      registrationOpensAt: z.iso
        .datetime({ offset: true, error: "must be an ISO 8601 date-time" })
        .optional(),
      registrationClosesAt: z.iso
        .datetime({ offset: true, error: "must be an ISO 8601 date-time" })
        .optional(),
      /**
       * Days registrants' data is kept after the last session ends, then DynamoDB's TTL deletes it
       * (`shared/privacy/retention.ts`); 365 when absent, at most ten years.
       */
      retentionDays: z.int().min(1).max(3650).optional(),
    })
    .superRefine((event, context) => {
      if (
        event.registrationOpensAt &&
        event.registrationClosesAt &&
        Date.parse(event.registrationOpensAt) >= Date.parse(event.registrationClosesAt)
      ) {
        context.addIssue({
          code: "custom",
          path: ["registrationClosesAt"],
          message: "must be after registrationOpensAt",
        });
      }
      if (event.form) {
        for (const issue of missingLanguageIssues(event.form, eventLanguages(event.title))) {
          context.addIssue({ code: "custom", path: ["form", ...issue.path], message: issue.message });
        }
      }
      const languagesOfEvent = eventLanguages(event.title);
      for (const language of missingLanguages(event.organiser.name, languagesOfEvent)) {
        context.addIssue({
          code: "custom",
          path: ["organiser", "name", language],
          message: `give the organiser's name in "${language}"`,
        });
      }
      for (const issue of event.branding ? brandingLanguageIssues(event.branding, languagesOfEvent) : []) {
        context.addIssue({ code: "custom", path: ["branding", ...issue.path], message: issue.message });
      }
      const seen = new Set<string>();
      event.sessions.forEach((session, index) => {
        for (const issue of session.agenda
          ? agendaIssues(session.agenda, session.durationMinutes, languagesOfEvent)
          : []) {
          context.addIssue({
            code: "custom",
            path: ["sessions", index, "agenda", ...issue.path],
            message: issue.message,
          });
        }
        if (seen.has(session.id)) {
          context.addIssue({
            code: "custom",
            path: ["sessions", index, "id"],
            message: "session ids must be unique",
          });
        }
        seen.add(session.id);
        if (!event.title[session.language]) {
          context.addIssue({
            code: "custom",
            path: ["title", session.language],
            message: `a title in "${session.language}" is needed for session "${session.id}"`,
          });
        }
      });
    }),
);
export type EventInput = z.input<typeof eventInputSchema>;
/** An event's settings once validated (defaults applied). */
export type EventSettings = z.infer<typeof eventInputSchema>;

export type WebinarEvent = EventSettings & {
  id: string;
  createdAt: string;
  updatedAt: string;
};

/** What anyone may see of an event: never the join URLs, which only registrants receive. */
export function publicView(event: WebinarEvent) {
  return {
    id: event.id,
    title: event.title,
    description: event.description,
    ...(event.descriptionHtml && { descriptionHtml: event.descriptionHtml }),
    organiser: { name: event.organiser.name },
    ...(event.branding && { branding: event.branding }),
    sessions: event.sessions.map(({ joinUrl: _joinUrl, ...session }) => session),
    ...(event.form && { form: event.form }),
    ...(event.registrationOpensAt && { registrationOpensAt: event.registrationOpensAt }),
    ...(event.registrationClosesAt && { registrationClosesAt: event.registrationClosesAt }),
  };
}
export type PublicEvent = ReturnType<typeof publicView>;

/** Days registrants' data is kept after the event's last session, unless the event says otherwise. */
export const defaultRetentionDays = 365;

/** What the event's privacy notice says about it: its controllers and contact (the organiser by default) and retention. */
export function noticeFactsOf(event: WebinarEvent, language: Language): NoticeFacts {
  return {
    controllers: event.privacy?.controllers ?? [
      { name: pickText(event.organiser.name, language), email: event.organiser.email },
    ],
    contact: event.privacy?.contact ?? event.organiser.email,
    retentionDays: event.retentionDays ?? defaultRetentionDays,
  };
}
