// Top bar shared by every page: product name and the main navigation (routes are added here as they land).
import Link from "next/link";

const NAV: { href: string; label: string }[] = [{ href: "/", label: "Atlas" }];

export function SiteHeader() {
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link href="/" className="brand">
          <span className="brand__mark" aria-hidden>◎</span> mmatlas
        </Link>
        <nav className="site-nav" aria-label="Main">
          {NAV.map((item) => (
            <Link key={item.href} href={item.href} className="site-nav__link">{item.label}</Link>
          ))}
        </nav>
      </div>
    </header>
  );
}
