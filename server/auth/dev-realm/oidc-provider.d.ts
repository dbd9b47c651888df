// The parts of oidc-provider 9's API the development realm uses. The package ships no type
// declarations; these describe only what this folder calls, so a wrong call still fails to compile.
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  export type UnknownObject = Record<string, unknown>;

  export interface OIDCContext {
    provider: Provider;
    route: string;
    issuer: string;
    params: UnknownObject & { scope?: string };
    client?: Client;
    session?: { accountId?: string; uid?: string; grantIdFor(clientId: string): string | undefined };
    result?: { consent?: { grantId?: string } } & UnknownObject;
    entities: UnknownObject & { IdTokenHint?: { payload: UnknownObject } };
    requestParamScopes: Set<string>;
    requestParamOIDCScopes: Set<string>;
    resourceServers: Record<string, ResourceServer>;
  }

  /** Koa context with the provider's OIDC state. */
  export interface KoaContextWithOIDC {
    oidc: OIDCContext;
    ip: string;
    host: string;
    type: string;
    body: unknown;
    status: number;
  }

  export interface ResourceServer {
    scope?: string;
    audience?: string;
  }

  export interface Client {
    clientId: string;
    grantTypeAllowed(type: string): boolean;
    redirectUriAllowed(value: string): boolean;
    postLogoutRedirectUriAllowed(value: string): boolean;
    includeSid(): boolean;
  }

  interface ClientStatic {
    find(id: string): Promise<Client | undefined>;
    prototype: Client;
  }

  export interface BaseToken {
    jti: string;
    kind: string;
    clientId: string;
    accountId?: string;
    grantId?: string;
    sessionUid?: string;
    sid?: string;
    scope?: string;
    exp?: number;
    destroy(): Promise<void>;
  }

  interface TokenStatic<T extends BaseToken = BaseToken> {
    find(value: string, options?: { ignoreExpiration?: boolean }): Promise<T | undefined>;
  }

  export interface Grant {
    jti: string;
    addOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
    destroy(): Promise<void>;
  }

  interface GrantStatic {
    new (properties: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }

  export interface Session {
    jti: string;
    uid: string;
    accountId?: string;
    authorizations?: Record<string, { sid?: string; grantId?: string }>;
    destroy(): Promise<void>;
  }

  interface SessionStatic {
    findByUid(uid: string): Promise<Session | undefined>;
  }

  export interface Interaction {
    uid: string;
    prompt: { name: string; reasons: string[]; details: UnknownObject };
    params: UnknownObject;
    session?: { accountId?: string };
    returnTo: string;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Promise<UnknownObject> | UnknownObject;
  }

  export interface AdapterPayload extends UnknownObject {
    jti?: string;
    uid?: string;
    userCode?: string;
    grantId?: string;
    consumed?: number;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export type AdapterFactory = (model: string) => Adapter;

  export type Configuration = UnknownObject;

  export class Provider {
    constructor(issuer: string, configuration: Configuration);
    issuer: string;
    proxy: boolean;
    Client: ClientStatic;
    Grant: GrantStatic;
    Session: SessionStatic;
    AccessToken: TokenStatic;
    ClientCredentials: TokenStatic;
    RefreshToken: TokenStatic;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: UnknownObject,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  export interface OIDCProviderError extends Error {
    error: string;
    error_description?: string;
    status: number;
  }

  type OIDCProviderErrorClass = new (description?: string) => OIDCProviderError;

  export const errors: {
    OIDCProviderError: OIDCProviderErrorClass;
    InvalidTarget: OIDCProviderErrorClass;
    InvalidGrant: OIDCProviderErrorClass;
    InvalidClient: OIDCProviderErrorClass;
    InvalidRequest: OIDCProviderErrorClass;
    AccessDenied: OIDCProviderErrorClass;
  };

  export default Provider;
}
