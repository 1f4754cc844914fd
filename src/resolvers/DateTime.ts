import { GraphQLScalarType, Kind } from 'graphql';
import { BadUserInputError } from '../errors.js';

// Date-time with a zone: 2026-04-15T10:00:00Z, 2026-04-15T10:00:00.123+02:00.
const ISO_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

function parseDateTime(value: unknown): Date {
  const match = typeof value === 'string' ? ISO_WITH_ZONE.exec(value) : null;
  if (match) {
    const [year, month, day, hour, minute] = match.slice(1, 6).map(Number);
    const second = match[6] === undefined ? 0 : Number(match[6]);
    // Date rolls 2026-02-30 over to March 2 and hour 24 to the next day: refuse what no calendar has.
    // (setUTCFullYear: Date.UTC reads years 0..99 as 1900..1999, and 1900 has no February 29 where year 0 has.)
    const calendar = new Date(0);
    calendar.setUTCFullYear(year!, month! - 1, day!);
    const real =
      calendar.getUTCMonth() === month! - 1 && calendar.getUTCDate() === day! && hour! < 24 && minute! < 60 && second < 60;
    const date = new Date((value as string).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (real && !Number.isNaN(date.getTime())) return date;
  }
  throw new BadUserInputError(
    `DateTime must be an ISO 8601 date-time with a zone, such as 2026-04-15T10:00:00Z; got ${JSON.stringify(value)}`,
  );
}

/** ISO 8601 UTC with milliseconds out (`toISOString`); ISO 8601 with a zone in. */
export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize(value) {
    const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : null;
    if (!date || Number.isNaN(date.getTime())) throw new TypeError(`DateTime cannot represent ${String(value)}`);
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new BadUserInputError('DateTime must be a string such as "2026-04-15T10:00:00Z"');
    return parseDateTime(ast.value);
  },
});
