import { isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSubgraphSchemaFromSdl } from '../src/schema.js';

// Types federation adds; their descriptions are not ours to write.
const FEDERATION = new Set(['_Service', '_Any', '_Entity', 'FieldSet', 'link__Import', 'link__Purpose', 'federation__FieldSet', 'federation__Scope', 'federation__Policy', 'federation__ContextFieldValue']);

describe('schema/', () => {
  it('has a description on every type, field, argument, input field and enum value', () => {
    const schema = buildSubgraphSchemaFromSdl();
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || FEDERATION.has(type.name) || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (type.name !== 'Query' && !type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (field.name.startsWith('_')) continue;
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of field.args) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) if (!field.description) missing.push(`${type.name}.${field.name}`);
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('keeps every name the contract fixes', () => {
    const schema = buildSubgraphSchemaFromSdl();
    const fields = (name: string) => Object.keys((schema.getType(name) as { getFields(): object }).getFields());
    expect(fields('Query')).toEqual(expect.arrayContaining(['node', 'nodes', 'campaign', 'campaignByProviderId', 'campaigns', 'sendLogs', 'emailLogs']));
    expect(fields('Campaign')).toEqual(expect.arrayContaining([
      'id', 'provider', 'providerId', 'name', 'subject', 'status', 'providerStatus', 'scheduledAt', 'sentAt', 'createdAt',
      'totalRecipients', 'stats', 'recipientLogs', 'sendLogs', 'emailLogs',
    ]));
    expect(fields('CampaignStats')).toEqual(expect.arrayContaining([
      'source', 'sent', 'delivered', 'opens', 'uniqueOpens', 'clicks', 'uniqueClicks', 'bounces', 'complaints', 'unsubscribes',
      'botOpens', 'botClicks', 'mppOpens', 'deliveryRate', 'openRate', 'clickRate', 'clickToOpenRate', 'bounceRate',
      'complaintRate', 'unsubscribeRate', 'lastUpdated',
    ]));
    expect(fields('RecipientLog')).toEqual(expect.arrayContaining(['toEmail', 'subject', 'status', 'openedAt', 'clickedAt', 'openCount', 'clickCount', 'bounceType', 'complaintType', 'createdAt', 'campaign']));
    expect(fields('SendLog')).toEqual(expect.arrayContaining(['id', 'providerId', 'campaign', 'message', 'triggeredBy', 'startDeliveryAt', 'destinationCount', 'destinations']));
    expect(fields('EmailLog')).toEqual(expect.arrayContaining(['id', 'messageId', 'bulkId', 'applicationId', 'entityId', 'to', 'from', 'text', 'sentAt', 'doneAt', 'messageCount', 'price', 'status', 'error', 'campaign']));
    expect(fields('EmailLogFilter')).toEqual(expect.arrayContaining(['messageId', 'from', 'to', 'bulkId', 'campaignReferenceId', 'generalStatus', 'sentSince', 'sentUntil', 'applicationId', 'entityId']));
    expect(fields('SendLogFilter')).toEqual(expect.arrayContaining(['campaignIds', 'startDeliveryFrom', 'startDeliveryTo']));
    for (const connection of ['CampaignConnection', 'RecipientLogConnection', 'SendLogConnection', 'EmailLogConnection']) {
      expect(fields(connection)).toEqual(expect.arrayContaining(['edges', 'pageInfo', 'totalCount']));
    }
  });
});
