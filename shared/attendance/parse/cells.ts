const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The address as registrations are keyed (trimmed, lowercased), or undefined when the cell holds none. */
export function emailOf(cell: string): string | undefined {
  const email = cell.trim().toLowerCase();
  return emailPattern.test(email) ? email : undefined;
}

const yes = new Set(["yes", "y", "oui", "o", "true", "vrai", "1", "x"]);
const no = new Set(["no", "n", "non", "false", "faux", "0"]);

/** An explicit yes or no in English or French; anything else (blank, `--`) says nothing. */
export function yesNoOf(cell: string): boolean | undefined {
  const value = cell.trim().toLowerCase();
  if (yes.has(value)) return true;
  if (no.has(value)) return false;
  return undefined;
}

const renamed = /^(.*\S)\s*\(([^()]+)\)$/;

/**
 * The account name from a Zoom `Name (Original Name)` cell: Zoom writes `Amal T (Amal Testfixture)`
 * for someone who renamed themselves in the session, and the original stays the same across rejoins.
 */
export function originalNameOf(cell: string): string {
  return renamed.exec(cell)?.[2]?.trim() ?? cell;
}

/** First and last name joined, for reports that split them. */
export function fullNameOf(first: string, last: string): string {
  return [first, last].filter((part) => part !== "").join(" ");
}

/** Zoom's and Webex's placeholder for a value that does not apply (a no-show's join time). */
export function isPlaceholder(cell: string): boolean {
  return /^\s*-*\s*$/.test(cell);
}
