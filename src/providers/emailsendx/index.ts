import { ResilientPolicy } from '../../http/resilience.js';
import type { ProviderModule } from '../provider.js';
import { EmailSendXClient } from './client.js';
import { EmailSendXSession } from './session.js';
import { startEmailSendXSimulator } from './simulator.js';

export const emailSendX: ProviderModule<EmailSendXSession> = {
  name: 'EMAILSENDX',
  credentialVariables: 'EMAILSENDX_API_KEY',
  connect(config) {
    const settings = config.providers.EMAILSENDX;
    if (!settings) return null;
    const client = new EmailSendXClient(settings, {
      timeoutMs: config.upstreamTimeoutMs,
      policy: new ResilientPolicy('EMAILSENDX', config.resilience),
    });
    return {
      session: (scope) => new EmailSendXSession(client, scope),
      close: () => client.close(),
    };
  },
  startSimulator: (options) => startEmailSendXSimulator({ ...options, rateLimitPerMinute: options.rateLimitPerMinute ?? 10 * 120 }),
};
