/**
 * Reading values off provider wire formats, shared by every provider folder.
 */

/**
 * Parses a provider timestamp leniently: ISO 8601 with `Z`, `+00:00` or `+0000` offsets (Infobip
 * writes `...440+0000`), with or without milliseconds. Null for null, empty or unparsable values,
 * so one bad field costs that field only.
 */
export function parseProviderDate(value: string | number | null | undefined): Date | null {
  if (value == null || value === '') return null;
  if (typeof value === 'number') {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  if (typeof value !== 'string') return null;
  // +0000 / -0530 -> +00:00 / -05:30, which Date.parse reads everywhere.
  let normalised = value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  // A date-time without a zone is UTC here, never the gateway host's local time.
  if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(normalised)) normalised += 'Z';
  const time = Date.parse(normalised);
  return Number.isNaN(time) ? null : new Date(time);
}
