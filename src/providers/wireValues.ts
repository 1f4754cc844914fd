/**
 * Reading values off provider wire formats, shared by every provider folder.
 */

/**
 * Parses a provider timestamp leniently: ISO 8601 with `Z`, `+00:00` or `+0000` offsets (Infobip
 * writes `...440+0000`), with or without milliseconds. Null for null, empty or unparsable values,
 * so one bad field costs that field only.
 */
export function parseProviderDate(value: string | number | null | undefined): Date | null {
  const time = providerTime(value);
  return time === null ? null : new Date(time);
}

/**
 * {@link parseProviderDate}'s instant as epoch milliseconds, without making a Date: what a reader
 * that only checks a row's timestamp calls (a Migma logs page checks fifty).
 */
export function providerTime(value: string | number | null | undefined): number | null {
  if (value == null || value === '') return null;
  if (typeof value === 'number') {
    const time = new Date(value).getTime(); // TimeClip: whole milliseconds within the Date range
    return Number.isNaN(time) ? null : time;
  }
  if (typeof value !== 'string') return null;
  // The common case, `2026-06-01T09:00:00Z` or with milliseconds: Date.parse reads it as it is.
  if ((value.length === 20 || value.length === 24) && value.charCodeAt(value.length - 1) === 90 /* Z */ && value.charCodeAt(10) === 84 /* T */) {
    const time = Date.parse(value);
    if (!Number.isNaN(time)) return time;
  }
  // +0000 / -0530 -> +00:00 / -05:30, which Date.parse reads everywhere.
  let normalised = value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  // A date-time without a zone is UTC here, never the gateway host's local time.
  if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(normalised)) normalised += 'Z';
  const time = Date.parse(normalised);
  return Number.isNaN(time) ? null : time;
}

/** A text field of a wire row: the string, or null for anything else (one bad field costs only itself). */
export function wireText(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A count for a GraphQL Int: a whole number within 32 bits, or null (GraphQL cannot carry more). */
export function wireInt(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2_147_483_647 ? value : null;
}

/** A number for a GraphQL Float: finite, or null. */
export function wireNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
