/** Infobip wire format of `GET /email/1/logs` (its published "Get email logs" page; docs/providers/infobip.md). */

/** One log row. Any field may be missing (guess); rows carry no campaignReferenceId. */
export interface IbLogRow {
  applicationId?: string | null;
  entityId?: string | null;
  bulkId?: string | null;
  messageId?: string | null;
  to?: string | null;
  from?: string | null;
  text?: string | null;
  /** `yyyy-MM-dd'T'HH:mm:ss.SSSZ`: both `...123Z` and `...440+0000` occur (docs). */
  sentAt?: string | null;
  doneAt?: string | null;
  messageCount?: number | null;
  price?: { pricePerMessage?: number | null; currency?: string | null } | null;
  status?: {
    groupId?: number | null;
    groupName?: string | null;
    id?: number | null;
    name?: string | null;
    description?: string | null;
    action?: string | null;
  } | null;
  error?: {
    groupId?: number | null;
    groupName?: string | null;
    id?: number | null;
    name?: string | null;
    description?: string | null;
    permanent?: boolean | null;
  } | null;
}

export interface IbLogsResponse {
  results: IbLogRow[];
}

/** The query parameters of `GET /email/1/logs` other than the time window and `limit` (docs). */
export interface IbLogFilterParams {
  messageId?: string | null;
  from?: string | null;
  to?: string | null;
  bulkId?: string | null;
  campaignReferenceId?: string | null;
  generalStatus?: string | null;
  applicationId?: string | null;
  entityId?: string | null;
}

/** The newer error body (docs), e.g. `{errorCode: "E429", description, action, violations, resources}`. */
export interface IbErrorBody {
  errorCode: string;
  description?: string;
  action?: string;
  violations?: Array<{ property?: string; violation?: string }>;
  resources?: Array<{ name?: string; url?: string }>;
}

/** The legacy error body (docs). */
export interface IbLegacyErrorBody {
  requestError: { serviceException: { messageId?: string; text?: string } };
}

/** Largest `limit` the logs endpoint accepts (docs). */
export const IB_MAX_LIMIT = 1000;

/** Infobip keeps email logs for the last 48 hours only (docs). */
export const IB_LOG_RETENTION_MS = 48 * 3_600_000;

/** Status groups (docs). */
export const IB_STATUS_GROUPS = {
  OK: 0,
  PENDING: 1,
  UNDELIVERABLE: 2,
  DELIVERED: 3,
  EXPIRED: 4,
  REJECTED: 5,
} as const;
