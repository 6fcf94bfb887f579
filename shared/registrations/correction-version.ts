/**
 * The hidden field of the manage page's correction form that carries the registration's
 * `updatedAt` as the page showed it: a correction sent from a page older than the stored
 * registration (another tab, a second device) is refused with a 409 instead of silently undoing
 * the newer change.
 */
export const correctionVersionField = "version";
