/** EmailSendX wire format (its published Campaigns API page; docs/providers/emailsendx.md). */

export interface EsxStats {
  sent?: number | null;
  delivered?: number | null;
  opened?: number | null;
  uniqueOpens?: number | null;
  clicked?: number | null;
  uniqueClicks?: number | null;
  bounced?: number | null;
  complained?: number | null;
  unsubscribed?: number | null;
}

export interface EsxCampaign {
  id: string;
  name?: string | null;
  subject?: string | null;
  /** draft, scheduled, sending, sent, paused, cancelled */
  status?: string | null;
  scheduledAt?: string | null;
  sentAt?: string | null;
  totalRecipients?: number | null;
  /** Documented only with `?id=`, but the published list example carries it too. */
  stats?: EsxStats | null;
  createdAt?: string | null;
}

export interface EsxListResponse {
  data: EsxCampaign[];
  pagination: { page: number; limit: number; total: number; totalPages: number };
}

/** `?id=` answer: `{data: {...}}`; a one-element array is accepted too (guess). */
export interface EsxSingleResponse {
  data: EsxCampaign | EsxCampaign[];
}

/** Error bodies are `{error: "<text>"}` with no code (docs). */
export interface EsxErrorBody {
  error: string;
}

export const ESX_STATUSES = ['draft', 'scheduled', 'sending', 'sent', 'paused', 'cancelled'] as const;

/** Largest `limit` the list accepts (docs). */
export const ESX_MAX_LIMIT = 100;
