import NextAuth from "next-auth";
import { buildAuthConfig } from "./config";

// The one Auth.js instance. Pages and handlers use lib/auth's helpers rather than these directly.
export const { handlers, auth, signIn, signOut } = NextAuth(() => buildAuthConfig());
