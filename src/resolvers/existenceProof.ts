import { getArgumentValues, isObjectType, Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { CampaignRecipientLogsArgs } from '../__generated__/resolvers-types.js';

/**
 * The fields of a Campaign answered without its record (name, status, dates): its keys, and
 * what hangs off its id. Anything else selected needs the lookup.
 */
const SERVED_WITHOUT_RECORD = new Set(['__typename', 'id', 'provider', 'providerId', 'stats', 'recipientLogs']);

/**
 * When a campaign lookup's selection reads nothing of the campaign's record and asks for its
 * first recipient logs, the logs call can prove the campaign exists (a provider answers it "not
 * found" for an unknown campaign) and the lookup call is saved: the arguments of that
 * `recipientLogs` field, coerced as the executor will coerce them, so the child resolver's read
 * is the same loader key. Null when the lookup is needed: a record field is selected (also
 * through fragments), no `recipientLogs` is, or it resumes from a cursor (a read from a cursor
 * may make no call at all).
 */
export function recipientLogsProof(info: GraphQLResolveInfo): CampaignRecipientLogsArgs | null {
  const campaignType = info.schema.getType('Campaign');
  if (!isObjectType(campaignType)) return null;
  const logsField = campaignType.getFields().recipientLogs;
  if (!logsField) return null;
  let logs: FieldNode | null = null;
  const visited = new Set<string>();
  const walk = (selectionSet: SelectionSetNode | undefined): boolean => {
    if (!selectionSet) return true;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!SERVED_WITHOUT_RECORD.has(selection.name.value)) return false;
        if (selection.name.value === 'recipientLogs') logs ??= selection;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!walk(selection.selectionSet)) return false;
      } else {
        const name = selection.name.value;
        if (visited.has(name)) continue;
        visited.add(name);
        const fragment = info.fragments[name];
        if (!fragment || !walk(fragment.selectionSet)) return false;
      }
    }
    return true;
  };
  for (const node of info.fieldNodes) if (!walk(node.selectionSet)) return null;
  if (!logs) return null;
  const args = getArgumentValues(logsField, logs, info.variableValues) as CampaignRecipientLogsArgs;
  return args.after == null ? args : null;
}
