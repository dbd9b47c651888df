import { describe, expect, it } from "vitest";
import { crossSiteProblem, type OriginPolicy } from "./same-origin";

/** The origin matrix: which cookie-authenticated writes are the console's own, by configuration. */

const CONFIGURED: OriginPolicy = { publicUrl: "https://console.example.com", trustProxy: false };
const BEHIND_PROXY: OriginPolicy = { publicUrl: undefined, trustProxy: true };
const BARE: OriginPolicy = { publicUrl: undefined, trustProxy: false };

const check = (policy: OriginPolicy, headers: Record<string, string>) => crossSiteProblem(new Headers(headers), policy);

describe("writes with the session cookie", () => {
  it.each<[string, OriginPolicy, Record<string, string>]>([
    ["the configured public origin", CONFIGURED, { origin: "https://console.example.com", host: "10.0.0.5:8000" }],
    ["the public origin with its default port spelt out", CONFIGURED, { origin: "https://console.example.com:443" }],
    ["the public origin in other letter case", CONFIGURED, { origin: "https://Console.Example.COM" }],
    ["no Origin at all (a client that is not a browser)", CONFIGURED, {}],
    ["no Origin, the browser says same-origin", CONFIGURED, { "sec-fetch-site": "same-origin" }],
    ["no Origin, typed by the user (Sec-Fetch-Site: none)", CONFIGURED, { "sec-fetch-site": "none" }],
    ["without AUTH_URL: the Host the request was sent to", BARE, { origin: "http://localhost:3000", host: "localhost:3000" }],
    ["behind a trusted proxy: its X-Forwarded-Host and -Proto", BEHIND_PROXY, {
      origin: "https://console.example.com",
      host: "10.0.0.5:8000",
      "x-forwarded-host": "console.example.com",
      "x-forwarded-proto": "https",
    }],
  ])("accepts %s", (_what, policy, headers) => {
    expect(check(policy, headers)).toBeNull();
  });

  it.each<[string, OriginPolicy, Record<string, string>, RegExp]>([
    ["another site", CONFIGURED, { origin: "https://evil.example" }, /https:\/\/evil\.example is not the console's origin/],
    ["the public host over plain http", CONFIGURED, { origin: "http://console.example.com" }, /not the console's origin/],
    ["the public host on another port", CONFIGURED, { origin: "https://console.example.com:8443" }, /not the console's origin/],
    ["a look-alike suffix", CONFIGURED, { origin: "https://console.example.com.evil.example" }, /not the console's origin/],
    ["the request's own Host when AUTH_URL names another", CONFIGURED, { origin: "http://10.0.0.5:8000", host: "10.0.0.5:8000" }, /not the console's origin/],
    ["a forged X-Forwarded-Host without TRUST_PROXY", CONFIGURED, {
      origin: "http://evil.example",
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "http",
    }, /not the console's origin/],
    ["a forged X-Forwarded-Host without TRUST_PROXY or AUTH_URL", BARE, {
      origin: "http://evil.example",
      host: "localhost:3000",
      "x-forwarded-host": "evil.example",
    }, /not the console's origin/],
    ["Origin: null", CONFIGURED, { origin: "null" }, /opaque \(Origin: null\)/],
    ["an Origin that is not a URL", CONFIGURED, { origin: "::::" }, /not an http\(s\) origin/],
    ["an empty Origin", CONFIGURED, { origin: "" }, /not an http\(s\) origin/],
    ["a file: origin", CONFIGURED, { origin: "file://" }, /not an http\(s\) origin/],
    ["a javascript: origin", CONFIGURED, { origin: "javascript:alert(1)" }, /not an http\(s\) origin/],
    ["an Origin with credentials in it", CONFIGURED, { origin: "https://console.example.com@evil.example" }, /not the console's origin|not an http/],
    ["no Origin, but the browser says cross-site", CONFIGURED, { "sec-fetch-site": "cross-site" }, /cross-site \(Sec-Fetch-Site\)/],
    ["no Origin, but the browser says same-site (a sibling subdomain)", CONFIGURED, { "sec-fetch-site": "same-site" }, /same-site \(Sec-Fetch-Site\)/],
  ])("refuses %s", (_what, policy, headers, reason) => {
    expect(check(policy, headers)).toMatch(reason);
  });
});
