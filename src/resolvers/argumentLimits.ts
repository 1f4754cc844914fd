import { BadUserInputError } from '../errors.js';

/**
 * Length limits of what clients send that reaches a provider (docs/security.md): over a limit is
 * BAD_USER_INPUT before any call, never a 431 or a 400 from the provider.
 */
export const ARGUMENT_LIMITS = {
  /** A provider's own id (campaign, send log, message id, campaign reference). */
  providerId: 256,
  /** A global id: base64url of type, provider and a provider id. */
  globalId: 512,
  /** A text filter sent upstream (EmailLogFilter fields). */
  filterText: 256,
  /** How many campaign ids one SendLogFilter may name. */
  campaignIds: 100,
} as const;

/** @throws BadUserInputError when `value` is longer than `max` characters. */
export function checkLength(value: string, max: number, argument: string): string {
  if (value.length > max) {
    throw new BadUserInputError(`\`${argument}\` may be at most ${max} characters long; got ${value.length}`, { argument });
  }
  return value;
}
