/**
 * The names of the registration form's traps for scripts (see `form-stamp.ts`), apart from the
 * signing so the pages can name them without reaching the table.
 */
export const honeypotField = "website";
export const stampField = "formStartedAt";
