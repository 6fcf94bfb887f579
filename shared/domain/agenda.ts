import * as z from "zod";
import { built } from "./built.ts";
import { builtOnce } from "./built-once.ts";
import { type Language, locales } from "./languages.ts";
import { localizedLineSchema, localizedNameSchema, missingLanguages } from "./localized-line.ts";

/**
 * A moderator or speaker: a name and an affiliation, each per language or one plain string for
 * every language (a person's name is usually the same; an organisation speaking as such is not:
 * "UCLG", "CGLU").
 */
export const agendaPersonSchema = /* @__PURE__ */ built(() =>
  z.object({
    name: localizedNameSchema(200),
    /** "UCLG" / "CGLU" / "منظمة المدن المتحدة": a plain string means the same in every language. */
    affiliation: localizedNameSchema(200).optional(),
  }),
);
export type AgendaPerson = z.infer<typeof agendaPersonSchema>;

/** A part of a session, in the order held: its title, how long it lasts, who moderates and speaks. */
export const agendaPartSchema = /* @__PURE__ */ built(() =>
  z.object({
    title: localizedLineSchema(200),
    minutes: z
      .int()
      .min(1)
      .max(24 * 60),
    moderators: z.array(agendaPersonSchema).max(10).optional(),
    speakers: z.array(agendaPersonSchema).max(20).optional(),
  }),
);
export type AgendaPart = z.infer<typeof agendaPartSchema>;

/** A session's agenda: its parts in order. Their minutes add up to at most the session's duration. */
export const agendaSchema = /* @__PURE__ */ built(() => z.array(agendaPartSchema).min(1).max(30));
export type Agenda = z.infer<typeof agendaSchema>;

/** Each part with the time it starts (ISO, UTC): the session's start plus the minutes before it. */
export function agendaTimes<Part extends { minutes: number }>(
  startsAt: string,
  parts: readonly Part[],
): (Part & { startsAt: string })[] {
  let offsetMinutes = 0;
  return parts.map((part) => {
    const start = new Date(Date.parse(startsAt) + offsetMinutes * 60_000).toISOString();
    offsetMinutes += part.minutes;
    return { ...part, startsAt: start };
  });
}

/** Issues of an agenda within its session: too long for it, or a title lacking one of the event's languages. */
export function agendaIssues(agenda: Agenda, durationMinutes: number, eventLanguages: readonly Language[]) {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const total = agenda.reduce((sum, part) => sum + part.minutes, 0);
  if (total > durationMinutes) {
    issues.push({
      path: [],
      message: `the parts last ${total} minutes, longer than the session's ${durationMinutes}`,
    });
  }
  agenda.forEach((part, index) => {
    for (const language of missingLanguages(part.title, eventLanguages)) {
      issues.push({ path: [index, "title", language], message: `give the part's title in "${language}"` });
    }
  });
  return issues;
}

const clockFormat = builtOnce<Intl.DateTimeFormat>();

/** A time of day in a zone ("10:45"), as a language writes it. */
const clock = (at: Date, timezone: string, language: Language): string =>
  clockFormat(
    `${timezone} ${language}`,
    () => new Intl.DateTimeFormat(locales[language], { timeStyle: "short", timeZone: timezone }),
  ).format(at);

/**
 * A session's agenda as pages and mails show it: each part with its start and end written in the
 * session's time zone ("10:00", "10:45"), computed from the minutes of the parts before it.
 */
export function agendaSchedule(
  session: { startsAt: string; timezone: string; agenda?: Agenda | undefined },
  language: Language,
): { part: AgendaPart; start: string; end: string }[] {
  return agendaTimes(session.startsAt, session.agenda ?? []).map(({ startsAt, ...part }) => {
    const start = new Date(startsAt);
    return {
      part,
      start: clock(start, session.timezone, language),
      end: clock(new Date(start.getTime() + part.minutes * 60_000), session.timezone, language),
    };
  });
}
