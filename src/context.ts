import type { Config } from './config.js';
import type { CallLedger } from './http/callLedger.js';
import type { ProviderName } from './domain/campaign.js';
import { ProviderNotConfiguredError } from './errors.js';
import type { ProviderConnections } from './providers/connect.js';
import type { Capability, ProviderSession, RequestScope } from './providers/provider.js';
import { providerDefinition, providersWith } from './providers/registry.js';
import { credentialVariables } from './providers/settings.js';

/**
 * One request's view of the providers: sessions (with their loaders) are made on first use, so a
 * query that touches one provider builds nothing for the others.
 */
export class RequestProviders {
  private readonly sessions = new Map<ProviderName, ProviderSession>();

  constructor(
    private readonly connections: ProviderConnections,
    private readonly scope: RequestScope,
  ) {}

  /** The session of a configured provider, or null. */
  get(name: ProviderName): ProviderSession | null {
    let session = this.sessions.get(name);
    if (!session) {
      const connection = this.connections[name];
      if (!connection) return null;
      session = connection.session(this.scope);
      this.sessions.set(name, session);
    }
    return session;
  }

  /** The session of a provider a query names; PROVIDER_NOT_CONFIGURED when it has no credentials. */
  require(name: ProviderName): ProviderSession {
    const session = this.get(name);
    if (!session) throw notConfigured(name);
    return session;
  }

  /**
   * The session of the provider that serves a capability with no provider argument
   * (`Query.sendLogs`, `Query.emailLogs`): the first configured one that has it;
   * PROVIDER_NOT_CONFIGURED naming the first that could when none is configured.
   */
  requireCapable(capability: Capability): ProviderSession {
    const capable = providersWith(capability);
    const name = capable.find((p) => this.isConfigured(p)) ?? capable[0];
    if (!name) throw new ProviderNotConfiguredError(capability, 'a provider with this capability');
    return this.require(name);
  }

  isConfigured(name: ProviderName): boolean {
    return this.connections[name] !== undefined;
  }

  /** Why a configured provider cannot list campaigns, if it cannot. */
  listingUnavailable(name: ProviderName): string | undefined {
    return this.connections[name]?.listingUnavailable;
  }
}

function notConfigured(name: ProviderName): ProviderNotConfiguredError {
  const definition = providerDefinition(name);
  return new ProviderNotConfiguredError(name, definition ? credentialVariables(definition) : `${name}_API_KEY`);
}

/** What every resolver receives. */
export interface GatewayContext {
  config: Config;
  /** What this request's upstream calls did (calls, cache hits, stale answers). */
  ledger: CallLedger;
  providers: RequestProviders;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
}
