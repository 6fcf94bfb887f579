import { createContext, useContext } from "react";
import type { ImportSummary } from "#shared/attendance/attendance-store";
import type { SessionStats } from "#shared/attendance/event-stats";
import type { EventInput, WebinarEvent } from "#shared/domain/event";
import type { Language } from "#shared/domain/languages";
import type { EventSummary } from "#shared/events/list-events";
import type { MailingInput } from "#shared/mailings/content/mailing-input";
import type { mailingView } from "#shared/mailings/mailing";
import { urlTo } from "#shared/paths";
import type { ExportRow, RegistrationFilter } from "#shared/registrations/list-registrations";
import type { registrationDetail } from "#shared/registrations/registration-detail";
import type { ReminderView } from "#shared/reminders/list-reminders";
import type { Auth } from "./auth.ts";

/**
 * The shapes the console reads and writes are the API's own types, imported from `shared/`: a
 * field added to or renamed in the API is a type error here until the console handles it.
 */
export type { EventInput, EventSummary, ImportSummary, Language, MailingInput, SessionStats, WebinarEvent };
export type Mailing = ReturnType<typeof mailingView>;
export type RegistrationRow = ExportRow;
export type Reminder = ReminderView;
/** One registrant with the mails sent to them (`kind`, `number`, `state`, `at`, `reason`). */
export type RegistrationDetail = Awaited<ReturnType<typeof registrationDetail>>;
/** The API's filters of the registrations list (`?session=`, `?country=`…). */
export type RegistrationFilters = RegistrationFilter;
export interface Preview {
  recipient: string;
  subject: string;
  html: string;
  text: string;
}

/** One invalid field, as a 400 `validation` answer names it (`sessions.0.startsAt`). */
export interface Issue {
  path: string;
  message: string;
}

/** An answer other than 2xx, with the API's error code and, for a 400, the invalid fields. */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
  }
}

interface RequestOptions {
  json?: unknown;
  headers?: Record<string, string>;
  body?: BodyInit;
  signal?: AbortSignal;
}

const eventPath = (eventId: string) => `/admin/events/${encodeURIComponent(eventId)}`;
const mailingPath = (eventId: string, mailingId = "") =>
  `${eventPath(eventId)}/mailings${mailingId ? `/${encodeURIComponent(mailingId)}` : ""}`;
const registrationPath = (eventId: string, registrationId: string) =>
  `${eventPath(eventId)}/registrations/${encodeURIComponent(registrationId)}`;

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** The admin API, with the organiser's token on every call; a 401 signs the organiser out. */
export function createApi(baseUrl: string, auth: Auth, onUnauthorized: () => void) {
  async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    const token = await auth.token();
    if (token) headers.authorization = `Bearer ${token}`;
    let body = options.body;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body, signal: options.signal });
    if (response.ok) return response;
    const payload = (await response.json().catch(() => ({}))) as {
      error?: string;
      message?: string;
      issues?: Issue[];
    };
    if (response.status === 401) onUnauthorized();
    throw new ApiError(
      response.status,
      payload.error ?? String(response.status),
      payload.message ?? response.statusText,
      payload.issues ?? [],
    );
  }
  async function json<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
    const response = await send(method, path, options);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  return {
    listEvents: (cursor?: string) =>
      json<{ events: EventSummary[]; nextCursor?: string }>(
        "GET",
        `/admin/events${query({ limit: 50, cursor })}`,
      ),
    getEvent: (eventId: string) => json<WebinarEvent>("GET", eventPath(eventId)),
    /**
     * `version` is the `updatedAt` of the event the edit is based on: sent as `If-Match`, so that
     * saving over someone else's newer save is refused (409 `event-changed`) instead of undoing it.
     */
    putEvent: (eventId: string, event: EventInput, version?: string) =>
      json<WebinarEvent>("PUT", eventPath(eventId), {
        json: event,
        ...(version && { headers: { "if-match": `"${version}"` } }),
      }),
    deleteEvent: (eventId: string) => json<void>("DELETE", eventPath(eventId)),
    /** The event's public page (HTML for a browser) in one language, where registrants find it. */
    publicEventUrl: (eventId: string, language: Language) =>
      urlTo(baseUrl, "publicEvent", { eventId }, { lang: language }),
    /** Cancels a session: its registrants are told, it stays in the event as cancelled. */
    cancelSession: (eventId: string, sessionId: string) =>
      json<WebinarEvent>("POST", `${eventPath(eventId)}/sessions/${encodeURIComponent(sessionId)}/cancel`, {
        json: {},
      }),

    listRegistrations: (eventId: string, filters: RegistrationFilters, cursor?: string, limit = 50) =>
      json<{ registrations: RegistrationRow[]; nextCursor?: string }>(
        "GET",
        `${eventPath(eventId)}/registrations${query({ ...filters, limit, cursor })}`,
      ),
    getRegistration: (eventId: string, registrationId: string) =>
      json<RegistrationDetail>("GET", registrationPath(eventId, registrationId)),
    registrationAction: (
      eventId: string,
      registrationId: string,
      action: "cancel" | "restore" | "resend" | "move",
      sessionId?: string,
    ) =>
      json<unknown>("POST", `${registrationPath(eventId, registrationId)}/${action}`, {
        json: action === "move" ? { sessionId } : {},
      }),
    /** Erases everything stored about one registrant (as their own "delete my data"); 204 again when done. */
    deleteRegistration: (eventId: string, registrationId: string) =>
      json<void>("DELETE", registrationPath(eventId, registrationId)),
    /** The export as the API writes it (CSV with its byte-order mark, or an .xlsx workbook). */
    exportRegistrations: async (eventId: string, format: "csv" | "xlsx", filters: RegistrationFilters) =>
      (await send("GET", `${eventPath(eventId)}/registrations${query({ ...filters, format })}`)).blob(),

    importAttendance: (eventId: string, sessionId: string, file: File) => {
      const form = new FormData();
      form.append("file", file, file.name);
      return json<ImportSummary>(
        "POST",
        `${eventPath(eventId)}/sessions/${encodeURIComponent(sessionId)}/attendance`,
        { body: form },
      );
    },
    stats: (eventId: string) => json<{ sessions: SessionStats[] }>("GET", `${eventPath(eventId)}/stats`),
    reminders: (eventId: string) => json<{ reminders: Reminder[] }>("GET", `${eventPath(eventId)}/reminders`),

    listMailings: (eventId: string) => json<{ mailings: Mailing[] }>("GET", mailingPath(eventId)),
    getMailing: (eventId: string, mailingId: string) => json<Mailing>("GET", mailingPath(eventId, mailingId)),
    createMailing: (eventId: string, mailing: MailingInput) =>
      json<{ mailingId: string; recipients: number }>("POST", mailingPath(eventId), { json: mailing }),
    updateMailing: (eventId: string, mailingId: string, mailing: MailingInput) =>
      json<{ mailingId: string; recipients: number }>("PUT", mailingPath(eventId, mailingId), {
        json: mailing,
      }),
    deleteMailing: (eventId: string, mailingId: string) =>
      json<void>("DELETE", mailingPath(eventId, mailingId)),
    segmentCount: (eventId: string, segment: MailingInput["segment"], signal?: AbortSignal) =>
      json<{ recipients: number }>("POST", `${eventPath(eventId)}/segment-count`, {
        json: { segment },
        signal,
      }),
    preview: (eventId: string, mailingId: string, language: Language) =>
      json<Preview>("GET", `${mailingPath(eventId, mailingId)}/preview${query({ lang: language })}`),
    testMailing: (eventId: string, mailingId: string, email: string, language: Language) =>
      json<{ sent: true }>("POST", `${mailingPath(eventId, mailingId)}/test`, { json: { email, language } }),
    sendMailing: (eventId: string, mailingId: string) =>
      json<unknown>("POST", `${mailingPath(eventId, mailingId)}/send`),
    cancelMailing: (eventId: string, mailingId: string) =>
      json<unknown>("POST", `${mailingPath(eventId, mailingId)}/cancel`),
  };
}
export type Api = ReturnType<typeof createApi>;

export const ApiContext = createContext<Api | undefined>(undefined);

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error("useApi outside the signed-in app");
  return api;
}

/** The issues of a failed request by field path, for the fields that show them. */
export function issuesOf(error: unknown): Map<string, string[]> {
  const byPath = new Map<string, string[]>();
  if (!(error instanceof ApiError)) return byPath;
  for (const issue of error.issues)
    byPath.set(issue.path, [...(byPath.get(issue.path) ?? []), issue.message]);
  return byPath;
}

/** Saves a downloaded export under its name, as a link the browser follows by itself. */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
