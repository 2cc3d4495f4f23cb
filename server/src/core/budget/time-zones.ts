// Time zone names as Pace accepts and spells them: for the checker (semantics/values.ts), the
// calendar periods and the importers alike.

/**
 * Time zones: the names of the tz database, spelt as there. The zones the runtime lists
 * (`Intl.supportedValuesOf('timeZone')`, plus "UTC") are accepted as written. The runtime lists the
 * CLDR spelling of a renamed zone ("Europe/Kiev", "Asia/Calcutta"), so a link to a listed zone in the
 * same area ("Europe/Kyiv", "Asia/Kolkata", today's tz names) is accepted too, when each word of it
 * is capitalised as tz names are. Abbreviations ("BST", which Intl reads as Asia/Dhaka; "CET"), links
 * to another area ("US/Eastern") and any other spelling of a case ("europe/london") are not.
 */
let zoneTable: Map<string, string> | undefined;
/** Lower-case name → the zone as listed. */
function zones(): Map<string, string> {
  if (!zoneTable) {
    const list = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
    zoneTable = new Map([...list, 'UTC'].map((z) => [z.toLowerCase(), z]));
  }
  return zoneTable;
}

/** The zone Intl resolves `name` to (case-insensitively, through links), or undefined. */
function resolveZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Each word capitalised (`Buenos_Aires`, `Port-au-Prince` aside: listed zones never get here), with a lower-case letter in words of three or more. */
function tzCased(name: string): boolean {
  return name.split(/[/_-]/).every((w) => /^[A-Z][A-Za-z]*$/.test(w) && (w.length < 3 || /[a-z]/.test(w)));
}

function capitalised(name: string): string {
  return name.toLowerCase().replace(/(^|[/_-])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
}

const canonicalZones = new Map<string, string | null>();

/**
 * The tz database name `name` stands for, spelt as there: `name` itself when Pace accepts it as
 * written, the right spelling of a zone written in another case ("europe/london" → "Europe/London"),
 * undefined when it is no zone name (a typo, an abbreviation such as "BST", a link to another area
 * such as "US/Eastern"). Cached: Intl is slow to ask.
 */
export function canonicalTimeZone(name: string): string | undefined {
  let hit = canonicalZones.get(name);
  if (hit === undefined) {
    if (canonicalZones.size >= 10_000) canonicalZones.clear();
    canonicalZones.set(name, (hit = findCanonical(name) ?? null));
  }
  return hit ?? undefined;
}

function findCanonical(name: string): string | undefined {
  const listed = zones().get(name.toLowerCase());
  if (listed) return listed;
  const resolved = resolveZone(name);
  // A zone the list leaves out but Intl spells exactly so (`Etc/GMT+5`).
  if (resolved === name && name.includes('/')) return name;
  if (!name.includes('/')) return undefined;
  if (!resolved || !zones().has(resolved.toLowerCase())) return undefined;
  const area = (z: string) => z.slice(0, z.indexOf('/')).toLowerCase();
  if (!resolved.includes('/') || area(name) !== area(resolved)) return undefined;
  if (tzCased(name)) return name;
  const fixed = capitalised(name);
  return tzCased(fixed) && resolveZone(fixed) === resolved ? fixed : undefined;
}

/** Whether `tz` is a time zone name as Pace accepts it (see canonicalTimeZone). */
export function isValidTimeZone(tz: string): boolean {
  return canonicalTimeZone(tz) === tz;
}

/**
 * What to offer for a time zone Pace does not accept: its spelling when only the case is wrong
 * (preferred), the zone a link to another area stands for ("US/Eastern" → "America/New_York"),
 * or the closest name for a typo.
 */
export function timeZoneSuggestion(name: string, closest: (word: string, candidates: Iterable<string>) => string | undefined): { zone: string; why: 'case' | 'link' | 'typo' } | undefined {
  const canonical = canonicalTimeZone(name);
  if (canonical !== undefined && canonical !== name) return { zone: canonical, why: 'case' };
  const resolved = name.includes('/') || /^(?:gmt|utc|zulu|universal)$/i.test(name) ? resolveZone(name) : undefined;
  if (resolved && canonicalTimeZone(resolved) === resolved) return { zone: resolved, why: 'link' };
  if (resolved) return undefined;
  const guess = closest(name, zones().values());
  return guess ? { zone: guess, why: 'typo' } : undefined;
}

