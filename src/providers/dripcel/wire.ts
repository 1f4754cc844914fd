/** Dripcel wire format: the published send-log docs; the campaign bodies are guesses (docs/providers/dripcel.md). */

/** A send log as documented; `destinations` is a count by default, or cell numbers with `group_destinations=list`. */
export interface DripcelSendLog {
  _id: string;
  campaign_id?: string | null;
  message?: string | null;
  triggeredBy?: string | null;
  startDeliveryAt?: string | null;
  destinations?: number | string[] | null;
}

/**
 * A campaign: the bodies of `GET /campaigns` and `GET /campaigns/:campaign_id` are not published;
 * this is what a third-party client models (guess).
 */
export interface DripcelCampaign {
  _id: string;
  name?: string | null;
  status?: string | null;
  active?: boolean | null;
  createdAt?: string | null;
  updatedAt?: string | null;
}

/** `POST /send-logs/search` body (docs): `find` is always sent, even empty. */
export interface DripcelSearchRequest {
  find: {
    campaign_id?: string[];
    startDeliveryAt?: { $gte?: string; $lte?: string };
  };
  options: { skip: number; limit: number };
}

/** The `data` of a search answer (docs); `parsed` echoes the search input. */
export interface DripcelSearchResult {
  /** How many logs match the whole `find` (one total, however many campaigns it names). */
  total: number | null;
  send_logs: DripcelSendLog[];
}

/** Every body has `ok`; errors carry `error` as text or as `{code, message}` (docs: both seen). */
export interface DripcelEnvelope<T> {
  ok: boolean;
  data?: T;
  error?: string | { code?: string; message?: string };
}

/** `group_destinations` values of `GET /send-logs/:send_id` (docs). */
export type GroupDestinations = 'count' | 'list';

/** Dripcel's default search limit ("about 1000", docs); no maximum is documented. */
export const DRIPCEL_SEARCH_PAGE = 1000;

/** The error code Dripcel answers a missing send log with (docs). */
export const RESOURCE_NOT_FOUND = 'resource_not_found';
