import type { ErrorPageProps } from "$fresh/server.ts";
import { ErrorPage, type ErrorPageData } from "@/components/ErrorPage.tsx";

/**
 * The themed error page: what middleware asked for with `ctx.renderError(status, data)` (access
 * refusals, a page's 4xx), else the server error with the request id, never error details.
 */
export default function ServerError({ data, state }: ErrorPageProps<ErrorPageData | undefined>) {
  if (data) return <ErrorPage {...data} />;
  const requestId = typeof state?.requestId === "string" ? state.requestId : null;
  return <ErrorPage kind="server_error" requestId={requestId} />;
}
