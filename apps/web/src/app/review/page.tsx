"use client";
// Review page: REVIEWERs (and admins) accept or reject proposed labels and watch label agreement.
import { RequireSignIn } from "../../features/auth/RequireSignIn";
import { ReviewBoard } from "../../features/review/ReviewBoard";

export default function ReviewPage() {
  return <RequireSignIn minRole="REVIEWER">{() => <ReviewBoard />}</RequireSignIn>;
}
