"use client";
// Main navigation links, the current section highlighted.
import Link from "next/link";
import { usePathname } from "next/navigation";

const NAV: { href: string; label: string; match: (path: string) => boolean }[] = [
  { href: "/", label: "Atlas", match: (p) => p === "/" || p.startsWith("/models") || p.startsWith("/units") },
  { href: "/queue", label: "Label queue", match: (p) => p.startsWith("/queue") },
  { href: "/review", label: "Review", match: (p) => p.startsWith("/review") },
  { href: "/probe", label: "Live probe", match: (p) => p.startsWith("/probe") },
];

export function NavLinks() {
  const path = usePathname() ?? "/";
  return (
    <nav className="site-nav" aria-label="Main">
      {NAV.map((item) => (
        <Link
          key={item.href}
          href={item.href}
          className={`site-nav__link ${item.match(path) ? "is-active" : ""}`}
          aria-current={item.match(path) ? "page" : undefined}
        >
          {item.label}
        </Link>
      ))}
    </nav>
  );
}
