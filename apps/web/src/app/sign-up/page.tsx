// Sign-up page (the first account of a fresh install becomes ADMIN).
import type { Metadata } from "next";
import { Suspense } from "react";
import { AuthForm } from "../../features/auth/AuthForm";

export const metadata: Metadata = { title: "Sign up" };

export default function SignUpPage() {
  return (
    <Suspense>
      <AuthForm mode="sign-up" />
    </Suspense>
  );
}
