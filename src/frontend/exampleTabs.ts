/** One GraphiQL tab as GraphiQL's `defaultTabs` takes it (variables as JSON text). */
export interface ExampleTab {
  query: string;
  variables?: string;
}

const DASHBOARD = /* GraphQL */ `# campaign-graph: one schema over Migma, Dripcel, EmailSendX and Infobip.
# Press the run button (or Ctrl+Enter). The other tabs page through logs and ask every
# provider in one query; the ids they use exist in demo mode (README, "Finding ids").
#
# Open, click and bounce rates of the campaigns of every provider that lists campaigns,
# in the order MIGMA, DRIPCEL, EMAILSENDX. Walk further with after: "<endCursor>".
query Dashboard {
  campaigns(first: 30) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id
        provider
        name
        status
        sentAt
        stats { source sent delivered openRate clickRate bounceRate }
      }
    }
  }
}
`;

const PAGING_LOGS = /* GraphQL */ `# Logs, a page at a time. Run it, then put each connection's pageInfo.endCursor in the
# variable of the same name (below) and run again; null starts at the first page. A cursor
# works only on the connection that gave it.
query PagingLogs($recipientLogsAfter: String, $sendLogsAfter: String, $emailLogsAfter: String) {
  # Migma: per-recipient rows of one campaign
  migma: campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_webinar") {
    name
    recipientLogs(first: 5, after: $recipientLogsAfter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { toEmail status openCount clickCount createdAt } }
    }
  }
  # Dripcel: the send runs of one campaign (its 24-hex id)
  sendLogs(first: 5, after: $sendLogsAfter, filter: { campaignIds: ["6967452af79405d3df24217e"] }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { startDeliveryAt destinationCount triggeredBy } }
  }
  # Infobip: the mails sent with one campaign reference, in its 48-hour window
  emailLogs(first: 5, after: $emailLogsAfter, filter: { campaignReferenceId: "black-friday-2026" }) {
    pageInfo { hasNextPage endCursor }
    edges { node { to sentAt status { groupName } error { description } } }
  }
}
`;

const PAGING_LOGS_VARIABLES = `{
  "recipientLogsAfter": null,
  "sendLogsAfter": null,
  "emailLogsAfter": null
}
`;

const ACROSS_PROVIDERS = /* GraphQL */ `# One request, four providers: a campaign of each by the provider's own id, fetched in
# parallel. A provider that fails costs its own field only (the rest of the answer stands).
query AcrossProviders {
  migma: campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_webinar") { ...Summary }
  dripcel: campaignByProviderId(provider: DRIPCEL, providerId: "6967452af79405d3df24217e") { ...Summary }
  emailsendx: campaignByProviderId(provider: EMAILSENDX, providerId: "clx_camp_april_nl_id") { ...Summary }
  # Infobip has no campaign listing: a campaign is the campaignReferenceId it was sent with
  infobip: campaignByProviderId(provider: INFOBIP, providerId: "black-friday-2026") { ...Summary }
}

fragment Summary on Campaign {
  id
  provider
  providerId
  name
  status
  sentAt
  stats { source sent delivered openRate clickRate bounceRate }
}
`;

/**
 * The tabs GraphiQL opens with (when the browser has no tabs of its own stored yet): the
 * dashboard's rates across providers, paging logs with `after` cursor variables, and one query
 * across all four providers. test/frontend.test.ts runs each against demo mode.
 */
export const EXAMPLE_TABS: readonly ExampleTab[] = [
  { query: DASHBOARD },
  { query: PAGING_LOGS, variables: PAGING_LOGS_VARIABLES },
  { query: ACROSS_PROVIDERS },
];

/** The first tab: what GraphiQL shows a first-time visitor. */
export const DEFAULT_QUERY = DASHBOARD;
