import { createContext } from "preact";
import type { Member } from "@/core/members.ts";

/**
 * The signed-in member of the page being rendered, provided by `_app` (null when signed out), so
 * the page frame can name them in its header on every page that brings no header of its own.
 */
export const SignedInMemberContext = createContext<Member | null>(null);
