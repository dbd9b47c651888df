import "server-only";
import { type JWTVerifyGetKey, createRemoteJWKSet, decodeJwt, errors, jwtVerify } from "jose";
import { getSettings } from "../config/settings";
import { AppError } from "../errors/app-error";
import { audiencesOf, principalFromClaims } from "./keycloak-claims";
import type { Principal } from "./principal";

/**
 * Local verification of Keycloak access tokens: signature against the realm's JWKS, issuer,
 * audience or authorized party, expiry and not-before. No call to Keycloak per request: the key set
 * is cached and fetched again only when a token names a key it does not hold (key rotation).
 */

/** Asymmetric algorithms Keycloak signs with. Never `none`, never HMAC (HS*): see rejected tokens. */
export const ACCEPTED_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256"];
const CLOCK_SKEW_SECONDS = 30;
const MAX_TOKEN_LENGTH = 16 * 1024;

export type TokenFailure =
  | "malformed"
  | "algorithm"
  | "signature"
  | "unknown_key"
  | "expired"
  | "not_yet_valid"
  | "issuer"
  | "audience"
  | "token_type"
  | "claims";

/**
 * Every refused token throws this. The message is the same whatever went wrong and never quotes
 * the token; `reason` is for the server's debug log only.
 */
export class AuthenticationError extends AppError {
  constructor(readonly reason: TokenFailure) {
    super("unauthorized", "invalid or expired access token", {}, {
      "WWW-Authenticate": 'Bearer error="invalid_token"',
    });
    this.name = "AuthenticationError";
  }
}

/** The realm's key set could not be fetched: an outage of the identity provider, not a bad token. */
class KeySetUnavailable extends Error {}

export interface VerifierConfig {
  issuer: string;
  /** `aud` or `azp` must name one of these. */
  audiences: readonly string[];
  /** The console's client, whose client roles count as permissions. */
  clientId: string;
  /** Default: Keycloak's `<issuer>/protocol/openid-connect/certs`. */
  jwksUrl?: string;
  /** Minimum time between two fetches of the key set caused by unknown key ids (default 30 s). */
  jwksCooldownMs?: number;
}

export type TokenVerifier = (token: string) => Promise<Principal>;

function failureOf(error: unknown): TokenFailure {
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "nbf" || error.claim === "iat") return "not_yet_valid";
    if (error.claim === "iss") return "issuer";
    return "claims";
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return "algorithm";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "signature";
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return "unknown_key";
  return "malformed";
}

export function createTokenVerifier(config: VerifierConfig): TokenVerifier {
  const remote = createRemoteJWKSet(new URL(config.jwksUrl ?? `${config.issuer}/protocol/openid-connect/certs`), {
    cooldownDuration: config.jwksCooldownMs ?? 30_000,
    cacheMaxAge: 10 * 60_000,
    timeoutDuration: 5_000,
  });
  const keys: JWTVerifyGetKey = async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      throw new KeySetUnavailable();
    }
  };
  const audiences = new Set(config.audiences);

  return async (token) => {
    if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH || token.split(".").length !== 3) {
      throw new AuthenticationError("malformed");
    }
    // A token from elsewhere is refused before it can make us fetch the key set again.
    let unverified: ReturnType<typeof decodeJwt>;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw new AuthenticationError("malformed");
    }
    if (unverified.iss !== config.issuer) throw new AuthenticationError("issuer");

    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(token, keys, {
        issuer: config.issuer,
        algorithms: ACCEPTED_ALGORITHMS,
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ["exp", "sub"],
      }));
    } catch (error) {
      if (error instanceof KeySetUnavailable) {
        throw new AppError("service_unavailable", "the identity provider is unreachable; try again shortly");
      }
      throw new AuthenticationError(failureOf(error));
    }

    // Keycloak marks ID and refresh tokens with their own `typ`; only access tokens authorize calls.
    if (claims.typ !== undefined && String(claims.typ).toLowerCase() !== "bearer") {
      throw new AuthenticationError("token_type");
    }
    const azp = typeof claims.azp === "string" ? claims.azp : undefined;
    if (!audiencesOf(claims).some((a) => audiences.has(a)) && !(azp && audiences.has(azp))) {
      throw new AuthenticationError("audience");
    }
    try {
      return principalFromClaims(claims, { consoleClientId: config.clientId, via: "bearer" });
    } catch {
      throw new AuthenticationError("claims");
    }
  };
}

const cacheKey = Symbol.for("console.tokenVerifiers");
type GlobalWithVerifiers = typeof globalThis & { [cacheKey]?: Map<string, TokenVerifier> };

/** Verifies a bearer token against the configured Keycloak realm (settings.keycloak). */
export function verifyAccessToken(token: string): Promise<Principal> {
  const { keycloak } = getSettings();
  const g = globalThis as GlobalWithVerifiers;
  const verifiers = (g[cacheKey] ??= new Map());
  // One verifier (and so one cached key set) per realm configuration.
  const key = JSON.stringify([keycloak.issuer, keycloak.audiences, keycloak.clientId]);
  let verifier = verifiers.get(key);
  if (!verifier) {
    verifier = createTokenVerifier({ issuer: keycloak.issuer, audiences: keycloak.audiences, clientId: keycloak.clientId });
    verifiers.set(key, verifier);
  }
  return verifier(token);
}
