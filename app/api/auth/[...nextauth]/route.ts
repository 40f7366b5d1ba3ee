// Auth.js's own endpoints (sign-in, callback, session, CSRF, sign-out); documented by Auth.js, not in our OpenAPI.
import { handlers } from "@/lib/auth/nextauth";

export const { GET, POST } = handlers;
