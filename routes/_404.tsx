import type { PageProps } from "$fresh/server.ts";
import { ErrorPage } from "@/components/ErrorPage.tsx";

/** The themed "not found" page. */
export default function NotFound(_props: PageProps) {
  return <ErrorPage kind="not_found" />;
}
