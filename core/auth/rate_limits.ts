/** Rate-limit rules for the sign-in endpoints; apply each with `enforceRateLimit(cache, rule, subject)`. */
import type { RateLimitRule } from "@/core/cache/rate_limit.ts";

/** Per-IP and per-wallet limits for the auth endpoints (subject: client IP or lowercased wallet). */
export const AUTH_RATE_LIMITS = {
  nonceByIp: { name: "auth_nonce_ip", limit: 30, windowSeconds: 60 },
  walletByIp: { name: "auth_wallet_ip", limit: 10, windowSeconds: 60 },
  walletByWallet: { name: "auth_wallet_wallet", limit: 10, windowSeconds: 60 },
  worldIdByIp: { name: "auth_worldid_ip", limit: 10, windowSeconds: 60 },
  worldIdByWallet: { name: "auth_worldid_wallet", limit: 5, windowSeconds: 60 },
  nftVerifyByWallet: { name: "auth_nft_verify_wallet", limit: 10, windowSeconds: 60 },
  devByIp: { name: "auth_dev_ip", limit: 20, windowSeconds: 60 },
} as const satisfies Record<string, RateLimitRule>;
