// Top bar shared by every page: product name, the main navigation and the signed-in user.
import Link from "next/link";
import { UserMenu } from "../features/auth/UserMenu";
import { NavLinks } from "./nav-links";

export function SiteHeader() {
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link href="/" className="brand">
          <span className="brand__mark" aria-hidden>
            ◎
          </span>{" "}
          mmatlas
        </Link>
        <NavLinks />
        <UserMenu />
      </div>
    </header>
  );
}
