import type { Config } from './config.js';
import type { ProviderName } from './domain/campaign.js';
import { ProviderNotConfiguredError } from './errors.js';
import type { CampaignSource, ProviderConnection, RequestScope } from './providers/provider.js';
import { providerModule, type ProviderSessions } from './providers/registry.js';

/** The configured providers for the life of the process. */
export type ProviderConnections = Partial<Record<ProviderName, ProviderConnection>>;

/**
 * One request's view of the providers: sessions (with their loaders) are made on first use, so a
 * query that touches one provider builds nothing for the others.
 */
export class RequestProviders {
  private readonly sessions = new Map<ProviderName, CampaignSource>();

  constructor(
    private readonly connections: ProviderConnections,
    private readonly scope: RequestScope,
  ) {}

  /** The session of a configured provider, or null. */
  get<K extends keyof ProviderSessions>(name: K): ProviderSessions[K] | null;
  get(name: ProviderName): CampaignSource | null;
  get(name: ProviderName): CampaignSource | null {
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
  require<K extends keyof ProviderSessions>(name: K): ProviderSessions[K];
  require(name: ProviderName): CampaignSource;
  require(name: ProviderName): CampaignSource {
    const session = this.get(name);
    if (!session) throw new ProviderNotConfiguredError(name, providerModule(name)?.credentialVariables ?? `${name}_API_KEY`);
    return session;
  }

  isConfigured(name: ProviderName): boolean {
    return this.connections[name] !== undefined;
  }

  /** Why a configured provider cannot list campaigns, if it cannot. */
  listingUnavailable(name: ProviderName): string | undefined {
    return this.connections[name]?.listingUnavailable;
  }
}

/** What every resolver receives. */
export interface GatewayContext {
  config: Config;
  providers: RequestProviders;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
}
