/**
 * Send logs as domain models: one delivery run of an SMS campaign (Dripcel). camelCase, Dates.
 */
import type { ProviderName } from './campaign.js';

export interface SendLogModel {
  provider: ProviderName;
  providerId: string;
  /** The provider's id of the campaign that triggered the send, when the log names one. */
  campaignId: string | null;
  message: string | null;
  triggeredBy: string | null;
  startDeliveryAt: Date | null;
  /** How many cell numbers the send went to. */
  destinationCount: number | null;
  /** The cell numbers, only when the upstream answer already carried them; otherwise fetched on demand. */
  destinations: string[] | null;
}

/** A window of a send-log list: `logs` from a position, whether more follow, and the list's size when known. */
export interface SendLogWindow {
  logs: SendLogModel[];
  hasMore: boolean;
  total: number | null;
}

/** What `Query.sendLogs` narrows by, in domain terms. */
export interface SendLogSearch {
  /** Dripcel campaign ids; null for every campaign. */
  campaignIds: string[] | null;
  startDeliveryFrom: Date | null;
  startDeliveryTo: Date | null;
}
