import { wallTimeMs } from "./dates.ts";
import type { AttendancePerson, AttendanceSegment, Visit } from "./types.ts";

interface TimedSegment {
  seconds: number;
  join?: string;
  leave?: string;
  span?: { from: number; to: number };
}

/**
 * Merges a report's rows into one entry per person: by email when there is one (rows arrive
 * lowercased), else by name, so a phone caller who rejoins is still one person.
 */
export function collectPeople(visits: readonly Visit[]): AttendancePerson[] {
  const byKey = new Map<string, Visit[]>();
  for (const visit of visits) {
    const key = visit.email ?? `name:${visit.name.toLowerCase().replace(/\s+/g, " ")}`;
    const same = byKey.get(key);
    if (same) same.push(visit);
    else byKey.set(key, [visit]);
  }
  return [...byKey.values()].map(personOf);
}

function personOf(visits: readonly Visit[]): AttendancePerson {
  const segments = visits.map(segmentOf).filter((segment) => segment !== undefined);
  const email = visits.find((visit) => visit.email)?.email;
  const person: AttendancePerson = {
    name: visits.find((visit) => visit.name !== "")?.name ?? email ?? "",
    minutes: toMinutes(mergedSeconds(segments)),
    segments: segments.map(publicSegment),
  };
  if (email) person.email = email;
  const firstJoin = earliest(segments.map((segment) => segment.join));
  if (firstJoin) person.firstJoin = firstJoin;
  const lastLeave = latest(segments.map((segment) => segment.leave));
  if (lastLeave) person.lastLeave = lastLeave;
  const attended = attendedOf(visits);
  if (attended !== undefined) person.attended = attended;
  return person;
}

/** Wall times compare as text: they are all written `YYYY-MM-DDTHH:mm:ss`. */
function earliest(times: readonly (string | undefined)[]): string | undefined {
  return times.reduce<string | undefined>(
    (min, time) => (time && (!min || time < min) ? time : min),
    undefined,
  );
}

function latest(times: readonly (string | undefined)[]): string | undefined {
  return times.reduce<string | undefined>(
    (max, time) => (time && (!max || time > max) ? time : max),
    undefined,
  );
}

function attendedOf(visits: readonly Visit[]): boolean | undefined {
  if (visits.some((visit) => visit.attended === true)) return true;
  return visits.some((visit) => visit.attended === false) ? false : undefined;
}

function segmentOf(visit: Visit): TimedSegment | undefined {
  const { join, leave } = visit;
  const from = join ? wallTimeMs(join) : Number.NaN;
  const to = leave ? wallTimeMs(leave) : Number.NaN;
  const spanSeconds = to >= from ? (to - from) / 1000 : undefined;
  const seconds = visit.seconds ?? spanSeconds;
  if (seconds === undefined && !join) return undefined;
  const segment: TimedSegment = { seconds: seconds ?? 0 };
  if (join) segment.join = join;
  if (leave) segment.leave = leave;
  if (spanSeconds !== undefined) segment.span = { from, to };
  return segment;
}

/**
 * The reported durations added up, less the time by which stays overlap (someone on two devices, a
 * rejoin before the platform noticed the drop). Reported durations are kept rather than recomputed
 * from join and leave so that the total agrees with what the platform shows the organiser.
 */
function mergedSeconds(segments: readonly TimedSegment[]): number {
  const untimed = segments
    .filter((segment) => !segment.span)
    .reduce((sum, segment) => sum + segment.seconds, 0);
  const timed = segments
    .flatMap(({ seconds, span }) => (span ? [{ seconds, ...span }] : []))
    .sort((a, b) => a.from - b.from);
  let total = untimed;
  let coveredUntil = Number.NEGATIVE_INFINITY;
  for (const { seconds, from, to } of timed) {
    const overlap = Math.max(0, Math.min(to, coveredUntil) - from) / 1000;
    total += Math.max(0, seconds - overlap);
    coveredUntil = Math.max(coveredUntil, to);
  }
  return total;
}

function publicSegment({ join, leave, seconds }: TimedSegment): AttendanceSegment {
  const segment: AttendanceSegment = { minutes: toMinutes(seconds) };
  if (join) segment.join = join;
  if (leave) segment.leave = leave;
  return segment;
}

function toMinutes(seconds: number): number {
  return Math.round((seconds / 60) * 100) / 100;
}
