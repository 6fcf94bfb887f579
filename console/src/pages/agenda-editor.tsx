import { useTranslation } from "react-i18next";
import type * as z from "zod";
import { type agendaPersonSchema, agendaTimes } from "#shared/domain/agenda";
import { languages } from "#shared/domain/languages";
import type { EventInput, WebinarEvent } from "../api.ts";
import { filledTexts, LanguageFields, type Texts } from "../components/language-fields.tsx";
import { newUid, RepeatedGroup } from "../components/repeated-group.tsx";
import { Field, SelectField } from "../components.tsx";
import { formatNumber, formatTime } from "../format.ts";
import { currentLanguage } from "../i18n.ts";

type Role = "moderators" | "speakers";
const roles: readonly Role[] = ["moderators", "speakers"];

/** A moderator or a speaker of a part: one list per part, each person with their role. */
interface PersonDraft {
  uid: number;
  role: Role;
  name: Texts;
  affiliation: Texts;
}

interface PartDraft {
  uid: number;
  title: Texts;
  minutes: string;
  people: PersonDraft[];
}

/** A session's agenda as the editor holds it: its parts in order, none when it has no agenda. */
export type AgendaDraft = PartDraft[];

type SessionInput = EventInput["sessions"][number];
type AgendaPersonInput = z.input<typeof agendaPersonSchema>;

const newPart = (): PartDraft => ({ uid: newUid(), title: {}, minutes: "15", people: [] });
const newPerson = (): PersonDraft => ({ uid: newUid(), role: "speakers", name: {}, affiliation: {} });

/** A name as stored: per language, or (as events written before names were per language have it) one string. */
const textsOf = (name: string | Texts): Texts =>
  typeof name === "string" ? Object.fromEntries(languages.map((language) => [language, name])) : name;

/** A person's name in the console's language, else in the first language it is given in. */
function nameToShow(name: Texts): string | undefined {
  const filled = filledTexts(name);
  return filled[currentLanguage()] ?? Object.values(filled)[0];
}

/**
 * A name given in one language only is sent as a plain string, which the API reads as the same
 * name in every language: a person's name is usually written once.
 */
function nameInput(texts: Texts): string | Texts {
  const filled = filledTexts(texts);
  const values = Object.values(filled);
  return values.length === 1 ? (values[0] as string) : filled;
}

export function agendaDraftOf(session: WebinarEvent["sessions"][number] | undefined): AgendaDraft {
  return (session?.agenda ?? []).map((part) => ({
    uid: newUid(),
    title: part.title,
    minutes: String(part.minutes),
    people: roles.flatMap((role) =>
      (part[role] ?? []).map((person) => ({
        uid: newUid(),
        role,
        name: textsOf(person.name),
        affiliation: textsOf(person.affiliation ?? {}),
      })),
    ),
  }));
}

/** The session's agenda as the API takes it; a session without parts has none. */
export function agendaInputOf(parts: AgendaDraft): Pick<SessionInput, "agenda"> {
  if (parts.length === 0) return {};
  return {
    agenda: parts.map((part) => {
      const byRole = (role: Role): AgendaPersonInput[] =>
        part.people
          .filter((person) => person.role === role)
          .map((person) => {
            const affiliation = nameInput(person.affiliation);
            return {
              name: nameInput(person.name),
              ...(Object.keys(filledTexts(person.affiliation)).length > 0 && { affiliation }),
            };
          });
      const moderators = byRole("moderators");
      const speakers = byRole("speakers");
      return {
        title: filledTexts(part.title),
        minutes: Number(part.minutes),
        ...(moderators.length > 0 && { moderators }),
        ...(speakers.length > 0 && { speakers }),
      };
    }),
  };
}

interface AgendaEditorProps {
  parts: AgendaDraft;
  onChange: (parts: AgendaDraft) => void;
  issues: Map<string, string[]>;
  /** Where the agenda's problems are (`sessions.0.agenda`). */
  path: string;
  sessionId: string;
  /** The session's start (ISO), when it is set, and its clocks: each part's start is shown on them. */
  startsAt: string | undefined;
  timezone: string;
  durationMinutes: number;
}

/**
 * A session's agenda: its parts in order, each with its title per language, its minutes and its
 * people, and the time each part starts, worked out from the session's start as the organiser
 * changes the minutes or the order (the times registrants will read on the event page).
 */
export function AgendaEditor({
  parts,
  onChange,
  issues,
  path,
  sessionId,
  startsAt,
  timezone,
  durationMinutes,
}: AgendaEditorProps) {
  const { t } = useTranslation();
  const minutes = parts.map((part) => ({ minutes: Number(part.minutes) || 0 }));
  const total = minutes.reduce((sum, part) => sum + part.minutes, 0);
  const validStart = startsAt && !Number.isNaN(Date.parse(startsAt)) ? startsAt : undefined;
  const times = validStart ? agendaTimes(validStart, minutes) : [];
  const ownIssues = issues.get(path);
  const hasIssues = [...issues.keys()].some((key) => key === path || key.startsWith(`${path}.`));
  return (
    // Closed until wanted, so that a session's settings stay one screen on a phone; opened when
    // it holds a problem, so that the problem is seen.
    <details className="wide agenda" open={hasIssues || undefined}>
      <summary>{t("agenda.summary", { id: sessionId, count: parts.length })}</summary>
      <p className={total > durationMinutes ? "field-error" : "hint"}>
        {parts.length === 0
          ? t("agenda.none")
          : t("agenda.total", { total: formatNumber(total), duration: formatNumber(durationMinutes) })}
        {parts.length > 0 && !validStart && ` ${t("agenda.noStart")}`}
      </p>
      <RepeatedGroup
        items={parts}
        onChange={onChange}
        legend={(_, index) => {
          // Each part's times in its legend, read out with the part and seen at its top.
          const start = times[index];
          return start
            ? t("agenda.partAt", {
                number: index + 1,
                start: formatTime(start.startsAt, timezone),
                end: formatTime(
                  new Date(Date.parse(start.startsAt) + start.minutes * 60_000).toISOString(),
                  timezone,
                ),
              })
            : t("agenda.part", { number: index + 1 });
        }}
        create={newPart}
        addLabel={t("agenda.addPart", { id: sessionId })}
        labels={{
          moveUp: (_, index) => t("agenda.moveUp", { number: index + 1, id: sessionId }),
          moveDown: (_, index) => t("agenda.moveDown", { number: index + 1, id: sessionId }),
          remove: (_, index) => t("agenda.remove", { number: index + 1, id: sessionId }),
        }}
        maxItems={30}
        errors={ownIssues}
        errorsId={`${path}-error`}
      >
        {(part, index, updatePart) => (
          <>
            <LanguageFields
              label={(language) => t("agenda.titleIn", { number: index + 1, language })}
              values={part.title}
              issues={issues}
              path={`${path}.${index}.title`}
              onChange={(title) => updatePart({ title })}
            />
            <Field
              label={t("agenda.minutes", { number: index + 1 })}
              type="number"
              min={1}
              value={part.minutes}
              required
              errors={issues.get(`${path}.${index}.minutes`)}
              onChange={(change) => updatePart({ minutes: change.target.value })}
            />
            <fieldset className="wide">
              <legend>{t("agenda.people", { number: index + 1 })}</legend>
              <p className="hint">{t("agenda.peopleHint")}</p>
              <PeopleEditor
                people={part.people}
                onChange={(people) => updatePart({ people })}
                issues={issues}
                path={`${path}.${index}`}
                partNumber={index + 1}
              />
            </fieldset>
          </>
        )}
      </RepeatedGroup>
    </details>
  );
}

/**
 * The moderators and speakers of a part in one list (the API keeps two): each person's problems
 * are found under their role's list, at their place among the people of that role.
 */
function PeopleEditor({
  people,
  onChange,
  issues,
  path,
  partNumber,
}: {
  people: PersonDraft[];
  onChange: (people: PersonDraft[]) => void;
  issues: Map<string, string[]>;
  path: string;
  partNumber: number;
}) {
  const { t } = useTranslation();
  const pathOf = (index: number) => {
    const person = people[index];
    if (!person) return path;
    const place = people.slice(0, index).filter((other) => other.role === person.role).length;
    return `${path}.${person.role}.${place}`;
  };
  return (
    <RepeatedGroup
      items={people}
      onChange={onChange}
      legend={(person, index) =>
        t(person.role === "moderators" ? "agenda.moderator" : "agenda.speaker", {
          name: nameToShow(person.name) ?? t("agenda.person", { number: index + 1 }),
        })
      }
      create={newPerson}
      addLabel={t("agenda.addPerson", { number: partNumber })}
      labels={{
        moveUp: (_, index) => t("agenda.movePersonUp", { number: index + 1, part: partNumber }),
        moveDown: (_, index) => t("agenda.movePersonDown", { number: index + 1, part: partNumber }),
        remove: (_, index) => t("agenda.removePerson", { number: index + 1, part: partNumber }),
      }}
      maxItems={30}
      errors={[...(issues.get(`${path}.moderators`) ?? []), ...(issues.get(`${path}.speakers`) ?? [])]}
      errorsId={`${path}.people-error`}
    >
      {(person, index, updatePerson) => (
        <>
          <SelectField
            label={t("agenda.role", { number: index + 1 })}
            value={person.role}
            options={roles.map((role) => ({ value: role, label: t(`agenda.roles.${role}`) }))}
            onChange={(change) => updatePerson({ role: change.target.value as Role })}
          />
          <LanguageFields
            label={(language) => t("agenda.nameIn", { number: index + 1, language })}
            values={person.name}
            issues={issues}
            path={`${pathOf(index)}.name`}
            onChange={(name) => updatePerson({ name })}
          />
          <LanguageFields
            label={(language) => t("agenda.affiliationIn", { number: index + 1, language })}
            values={person.affiliation}
            issues={issues}
            path={`${pathOf(index)}.affiliation`}
            onChange={(affiliation) => updatePerson({ affiliation })}
          />
        </>
      )}
    </RepeatedGroup>
  );
}
