/**
 * Signed app URLs for the filesystem store: `/api/storage/<key>?exp=<epoch s>&sig=<HMAC-SHA256>` (plus
 * `ct=<content type>` for uploads). The HTTP layer serves that path and calls `verify` first. The
 * signature covers the method, the key, the expiry and the content type, not the path prefix.
 */
import { ForbiddenError } from "@/core/errors.ts";
import { assertValidKey } from "./validate.ts";

/** The path the HTTP layer serves signed object URLs under. */
export const SIGNED_OBJECT_PATH = "/api/storage/";

/** True when `url` carries a signature: the signature, not a session, authorizes the request. */
export function isSignedObjectUrl(url: URL): boolean {
  return url.searchParams.has("sig");
}

/** What a valid signed URL grants. */
export interface SignedUrlClaims {
  key: string;
  method: "GET" | "PUT";
  /** For PUT: the content type the upload must carry. */
  contentType?: string;
  /** Expiry, epoch milliseconds. */
  expiresAt: number;
}

/** Signs and verifies object URLs with one secret. */
export interface UrlSigner {
  /** Builds a URL granting `method` on `key` until `now + expiresInSeconds`. */
  sign(
    key: string,
    grant: { method: "GET" | "PUT"; expiresInSeconds: number; contentType?: string },
    now: number,
  ): Promise<string>;
  /**
   * Checks a signed URL for a request made with `method` (HEAD counts as GET) at `now` (epoch ms).
   * Throws `ForbiddenError("signed_url_invalid")` or `ForbiddenError("signed_url_expired")`.
   */
  verify(url: string | URL, now: number, method?: string): Promise<SignedUrlClaims>;
}

/** Options of {@link createUrlSigner}. */
export interface UrlSignerOptions {
  /** The HMAC secret, at least 32 characters. */
  signingKey: string;
  /** Origin (and optional path) the URLs start with, e.g. `https://aurum.example`; "" for relative URLs. */
  baseUrl?: string;
}

const encoder = new TextEncoder();

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replaceAll("=", "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return null;
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/") + "=");
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function stringToSign(
  method: string,
  key: string,
  exp: number,
  contentType: string,
): Uint8Array<ArrayBuffer> {
  return encoder.encode(`aurum-object-url-v1\n${method}\n${key}\n${exp}\n${contentType}`);
}

/** Creates a signer for `/api/storage/…` URLs (HMAC-SHA256, verified in constant time by Web Crypto). */
export function createUrlSigner(options: UrlSignerOptions): UrlSigner {
  if (options.signingKey.length < 32) {
    throw new RangeError("The object URL signing key must be at least 32 characters");
  }
  const baseUrl = (options.baseUrl ?? "").replace(/\/$/, "");
  const cryptoKey = crypto.subtle.importKey(
    "raw",
    encoder.encode(options.signingKey),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
  const invalid = () => new ForbiddenError("signed_url_invalid", "The signed URL is not valid");

  return {
    async sign(key, grant, now) {
      assertValidKey(key);
      const exp = Math.floor(now / 1000) + grant.expiresInSeconds;
      const contentType = grant.contentType ?? "";
      const signature = new Uint8Array(
        await crypto.subtle.sign(
          "HMAC",
          await cryptoKey,
          stringToSign(grant.method, key, exp, contentType),
        ),
      );
      const query = new URLSearchParams({ exp: String(exp), sig: toBase64Url(signature) });
      if (contentType) query.set("ct", contentType);
      return `${baseUrl}${SIGNED_OBJECT_PATH}${key}?${query}`;
    },

    async verify(url, now, method = "GET") {
      const parsed = new URL(url, "http://signed.invalid");
      if (!parsed.pathname.startsWith(SIGNED_OBJECT_PATH)) throw invalid();
      let key: string;
      try {
        key = decodeURIComponent(parsed.pathname.slice(SIGNED_OBJECT_PATH.length));
        assertValidKey(key);
      } catch {
        throw invalid();
      }
      const expText = parsed.searchParams.get("exp") ?? "";
      const signature = fromBase64Url(parsed.searchParams.get("sig") ?? "");
      if (!/^\d{1,12}$/.test(expText) || !signature) throw invalid();
      const exp = Number(expText);
      const granted = method.toUpperCase() === "HEAD" ? "GET" : method.toUpperCase();
      if (granted !== "GET" && granted !== "PUT") throw invalid();
      const contentType = parsed.searchParams.get("ct") ?? "";
      const valid = await crypto.subtle.verify(
        "HMAC",
        await cryptoKey,
        signature,
        stringToSign(granted, key, exp, contentType),
      );
      if (!valid) throw invalid();
      if (now >= exp * 1000) {
        throw new ForbiddenError("signed_url_expired", "The signed URL has expired");
      }
      return {
        key,
        method: granted,
        ...(contentType ? { contentType } : {}),
        expiresAt: exp * 1000,
      };
    },
  };
}
