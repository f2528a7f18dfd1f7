// Unit page (one shareable URL per unit, by id or slug): the evidence of what the unit responds to and the
// live annotation panel. Rendering happens in the client view, which reads the API through urql. A segment
// that is not valid percent-encoding gives the 404 page.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { UnitView } from "../../../features/units/UnitView";
import { decodeRouteParam } from "../../../lib/route-param";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Unit ${decodeRouteParam(id) ?? "not found"}` };
}

export default async function UnitPage({ params }: { params: Promise<{ id: string }> }) {
  const unitId = decodeRouteParam((await params).id);
  if (unitId === null) notFound(); // a malformed escape such as %E0%A4%A
  return <UnitView unitId={unitId} />;
}
