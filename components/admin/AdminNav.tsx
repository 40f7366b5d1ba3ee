"use client";

import { NavLinks } from "@/components/dashboard/NavLinks";

/** The operator console's sections. A new section adds its page under app/admin/ and one line here. */
const SECTIONS = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/webhooks", label: "Webhooks" },
  { href: "/admin/accounts", label: "Accounts" },
  { href: "/admin/review", label: "Review queue" },
  { href: "/admin/audit", label: "Audit log" },
  { href: "/admin/exports", label: "Exports" },
  { href: "/admin/programs", label: "Programs" },
];

export function AdminNav() {
  return <NavLinks links={SECTIONS} />;
}
