/**
 * The public mail services that millions of people share, whose registrants an event's
 * announcement brings by the hundred in an hour: a domain limit meant for one organisation's
 * addresses (`unicef.org`) would refuse real people there. The largest services worldwide and
 * those common among this project's registrants (France, Italy, Spain, Germany, the Maghreb and the
 * Middle East use the same international ones). Hand-picked rather than a package's list of
 * thousands of free-mail domains: this is only about volume, a smaller service stays under the
 * ordinary domain limit, and the list rides in the public registration bundle.
 */
const sharedMailDomains = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "outlook.fr",
  "hotmail.com",
  "hotmail.fr",
  "hotmail.it",
  "hotmail.es",
  "hotmail.co.uk",
  "live.com",
  "live.fr",
  "msn.com",
  "yahoo.com",
  "yahoo.fr",
  "yahoo.it",
  "yahoo.es",
  "yahoo.co.uk",
  "ymail.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "aol.com",
  "proton.me",
  "protonmail.com",
  "gmx.com",
  "gmx.de",
  "gmx.net",
  "web.de",
  "orange.fr",
  "wanadoo.fr",
  "free.fr",
  "laposte.net",
  "sfr.fr",
  "libero.it",
  "yandex.com",
  "mail.ru",
  "zoho.com",
]);

export const isSharedMailDomain = (domain: string): boolean => sharedMailDomains.has(domain);
